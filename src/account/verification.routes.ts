import { createRoute } from '@hono/zod-openapi'
import { requireAuth } from '../auth/require-auth'
import { passwords } from '../auth/passwords'
import { verifyingSecrets } from '../auth/tokens'
import { getAccountConfig } from '../config/account.config'
import { getConfig } from '../config/app.config'
import { ApiError } from '../core/errors'
import { ErrorSchema, MessageResult } from '../core/schemas'
import { authErrors, badRequest, bodyErrors, json, jsonBody, lifecycleLimitErrors, originErrors, security, errorResponses } from '../docs/responses'
import { userEvents } from '../events/user-events'
import { createRouter } from '../http/router'
import { requireJson } from '../http/validate'
import { linkMailer, mailLink } from '../mail/link-mail'
import { inBackground } from '../mail/mailer'
import { takeEmailQuota } from '../mail/quota'
import { sameOriginForCookies } from '../security/cors'
import { enforceLimit, limitByEmail, limitByIp } from '../security/rate-limit'
import * as examples from './account.examples'
import { VERIFY_NEEDS_PASSWORD, verifyEmailSchema } from './account.schemas'
import { markEmailVerified, verificationLinkUser } from './account.service'

const tags = ['users']

const requestVerification = createRoute({
  method: 'post',
  path: '/verify-email/request',
  operationId: 'requestEmailVerification',
  tags,
  summary: 'Email another verification link',
  description:
    'Sends the signed-in user a new link (`<APP_URL>#verify=<token>`, valid 24 h). Register sends the first one. Every link works until the email is verified.',
  middleware: [limitByIp, sameOriginForCookies, requireAuth] as const,
  security,
  responses: {
    202: json(MessageResult, 'Accepted: the email is sent after the response.', examples.requestVerification.accepted),
    ...errorResponses({ 409: json(ErrorSchema, 'The email is already verified.', examples.requestVerification.verified) }),
    ...authErrors,
    ...originErrors,
    ...lifecycleLimitErrors('per client IP, per user 5 per minute, and at most 5 emails per mailbox per hour (the address without its +tag, and for Gmail without dots) (then `Retry-After` is the rest of the hour)'),
  },
})

const verifyEmailRoute = createRoute({
  method: 'post',
  path: '/verify-email',
  operationId: 'verifyEmail',
  tags,
  summary: 'Verify the email with the emailed link',
  description:
    'No session needed: the link may be opened on another device. The link dies once used. While REQUIRE_EMAIL_VERIFICATION is on the account’s `password` is required too (400 on `password` without it: ask for it and send both), so that a link clicked by an address’s owner never makes a stranger’s password usable; a given password is always checked (401 when wrong).',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(verifyEmailSchema, examples.verifyEmail.request) },
  responses: {
    200: json(MessageResult, 'Verified.', examples.verifyEmail.ok),
    ...badRequest(examples.verifyEmail.invalid),
    ...errorResponses({ 401: json(ErrorSchema, 'The password given with the link is not the account’s.', examples.verifyEmail.wrongPassword) }),
    ...bodyErrors,
    ...lifecycleLimitErrors('per client IP, and with a password the per-email budget shared with login (10 per minute)'),
  },
})

export const verificationRouter = createRouter()
  .openapi(requestVerification, async (c) => {
    const user = c.var.user
    if (user.emailVerified) throw new ApiError('EMAIL_ALREADY_VERIFIED')
    await enforceLimit(c.env.LIFECYCLE_LIMITER, `verify-email:${user.id}`)
    const mailer = linkMailer(c)
    // The user asks for their own address: telling them it has had its hourly share gives nothing away.
    const quota = await takeEmailQuota(c.var.db, user.email)
    if (!quota.allowed) throw new ApiError('RATE_LIMITED', { headers: { 'Retry-After': String(quota.retryAfter) } })
    c.executionCtx.waitUntil(inBackground('Verification email', () => mailLink(mailer, 'verify-email', user, true)))
    return c.json({ message: 'Verification email sent' }, 202)
  })
  .openapi(verifyEmailRoute, async (c) => {
    const events = userEvents(c.env)
    const config = getConfig(c.env)
    const { token, password } = c.req.valid('json')
    const user = await verificationLinkUser(c.var.db, token, verifyingSecrets(config))
    // While no session exists before verification, whoever registered an address may not be its
    // owner: an attacker's account, verified by the owner's click, would let the attacker in. The
    // link proves the inbox; the password proves who chose it. The owner who did not register is
    // told (in the email) to use "Forgot password", which makes the account theirs.
    if (password === undefined && getAccountConfig(c.env).REQUIRE_EMAIL_VERIFICATION) {
      throw ApiError.field('password', VERIFY_NEEDS_PASSWORD)
    }
    if (password !== undefined) {
      await limitByEmail(c.env, user.email) // a password guess like login's: the same budget
      if (!(await passwords.verify(password, user.passwordHash, config.BCRYPT_COST))) throw new ApiError('WRONG_PASSWORD')
    }
    const verified = await markEmailVerified(c.var.db, user)
    await events.emit('user.updated', verified)
    return c.json({ message: 'Email verified successfully' }, 200)
  })
