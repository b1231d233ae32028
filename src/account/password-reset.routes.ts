import { createRoute } from '@hono/zod-openapi'
import { rejectCommonPassword } from '../auth/password-blocklist'
import { verifyingSecrets } from '../auth/tokens'
import { getConfig } from '../config/app.config'
import { MessageResult } from '../core/schemas'
import { findByEmail } from '../db/users.repository'
import { badRequest, bodyErrors, json, jsonBody, lifecycleLimitErrors } from '../docs/responses'
import { userEvents } from '../events/user-events'
import { createRouter } from '../http/router'
import { requireJson } from '../http/validate'
import { linkMailer, mailLink } from '../mail/link-mail'
import { inBackground } from '../mail/mailer'
import { enforceLimit, limitByIp } from '../security/rate-limit'
import * as examples from './account.examples'
import { forgotPasswordSchema, resetPasswordSchema } from './account.schemas'
import { resetPassword } from './account.service'

const tags = ['users']

/** How long after the lookup an account's reset email is prepared and sent (wall time, no CPU). */
const SEND_AFTER_MS = 50

/** One body for every email: whether an account exists is never told. */
export const FORGOT_PASSWORD_MESSAGE = 'If an account exists for this email, a reset link has been sent'

const forgotPassword = createRoute({
  method: 'post',
  path: '/forgot-password',
  operationId: 'forgotPassword',
  tags,
  summary: 'Ask for a password-reset link',
  description:
    'Always 202 with one fixed body, whether or not the email has an account. The account is looked up and the link (`<APP_URL>#reset=<token>`, valid 1 h, single use) emailed after the response, so neither the body nor the time tells. No email goes to an address without an account.',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(forgotPasswordSchema, examples.forgotPassword.request) },
  responses: {
    202: json(MessageResult, 'Accepted: a link is emailed if the account exists.', examples.forgotPassword.accepted),
    ...badRequest(examples.forgotPassword.invalid),
    ...bodyErrors,
    ...lifecycleLimitErrors('per client IP, and per email 5 per minute (the hourly email cap never answers 429 here: the 202 stays the same)'),
  },
})

const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/reset-password',
  operationId: 'resetPassword',
  tags,
  summary: 'Choose a new password with the emailed link',
  description:
    'The new password follows the register rules. Every session of the user ends (token version bump), the link dies (it was bound to the old password), and the email counts as verified.',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(resetPasswordSchema, examples.resetPassword.request) },
  responses: {
    200: json(MessageResult, 'Reset; every earlier session of the user is refused.', examples.resetPassword.ok),
    ...badRequest(examples.resetPassword.invalid),
    ...bodyErrors,
    ...lifecycleLimitErrors('per client IP'),
  },
})

export const passwordResetRouter = createRouter()
  .openapi(forgotPassword, async (c) => {
    const { email } = c.req.valid('json')
    await enforceLimit(c.env.LIFECYCLE_LIMITER, `forgot-password:${email}`)
    const mailer = linkMailer(c)
    // Everything that depends on the account happens after the response, so its time tells
    // nothing; the send waits a moment more, so that it never delays the response on its way out.
    c.executionCtx.waitUntil(
      inBackground('Password-reset email', async () => {
        const user = await findByEmail(mailer.db, email)
        if (!user) return
        await new Promise((resolve) => setTimeout(resolve, SEND_AFTER_MS))
        await mailLink(mailer, 'reset-password', user)
      }),
    )
    return c.json({ message: FORGOT_PASSWORD_MESSAGE }, 202)
  })
  .openapi(resetPasswordRoute, async (c) => {
    const config = getConfig(c.env)
    const events = userEvents(c.env)
    const { token, newPassword } = c.req.valid('json')
    rejectCommonPassword(config, 'newPassword', newPassword)
    const user = await resetPassword(c.var.db, token, newPassword, config.BCRYPT_COST, verifyingSecrets(config))
    await events.emit(['user.updated', 'user.signed_out_everywhere'], user)
    return c.json({ message: 'Password has been reset' }, 200)
  })
