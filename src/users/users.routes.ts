import { createRoute } from '@hono/zod-openapi'
import { setSessionCookie } from '../auth/cookie'
import { rejectCommonPassword } from '../auth/password-blocklist'
import { issueToken } from '../auth/tokens'
import { getAccountConfig } from '../config/account.config'
import { getConfig } from '../config/app.config'
import { ApiError } from '../core/errors'
import { ErrorSchema } from '../core/schemas'
import type { UserRow } from '../db/schema'
import { findByEmail, toPublicUser } from '../db/users.repository'
import {
  badRequest,
  bodyErrors,
  credentialsRefused,
  json,
  jsonBody,
  rateLimitErrors,
  setCookie,
  errorResponses,
} from '../docs/responses'
import { userEvents } from '../events/user-events'
import { createRouter } from '../http/router'
import { requireJson } from '../http/validate'
import { linkMailer, mailLink } from '../mail/link-mail'
import { inBackground } from '../mail/mailer'
import { limitByEmail, limitByIp } from '../security/rate-limit'
import { profileRouter } from './profile.routes'
import { sessionRouter } from './session.routes'
import * as examples from './users.examples'
import { AuthResult, changePasswordSchema, loginSchema, PasswordChanged, registerSchema, RegisterResult, registerShapes } from './users.schemas'
import { changePassword, newUserRow, registerUser, upgradeHashIfNeeded, verifyCredentials } from './users.service'

// The credential routes (a JSON body, rate limited), then the signed-in user's profile
// (profile.routes.ts) and session (session.routes.ts).

const tags = ['users']

/** Register's message while REQUIRE_EMAIL_VERIFICATION is on (no token, no cookie). */
export const REGISTERED_UNVERIFIED =
  'User registered successfully. Verify your email address with the link we sent you, then log in'

const register = createRoute({
  method: 'post',
  path: '/register',
  operationId: 'register',
  tags,
  summary: 'Register',
  description:
    'Creates the user, emails a verification link (`<APP_URL>#verify=<token>`, after the response), then answers like login: the user, the token, and the session cookie. While REQUIRE_EMAIL_VERIFICATION is on there is no token and no cookie, the message says to verify the email first, and a taken email gets the same 201 (its owner is emailed instead): only then is 409 never answered.',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(registerSchema, examples.register.request) },
  responses: {
    201: json(RegisterResult, 'Registered and logged in (or, when verification is required, registered only).', examples.register.created, setCookie),
    ...badRequest(examples.register.invalid),
    ...errorResponses({ 409: json(ErrorSchema, 'The email is taken (a UNIQUE index decides); never while REQUIRE_EMAIL_VERIFICATION is on.', examples.register.conflict) }),
    ...bodyErrors,
    ...rateLimitErrors,
  },
})

const login = createRoute({
  method: 'post',
  path: '/login',
  operationId: 'login',
  tags,
  summary: 'Log in',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(loginSchema, examples.login.request) },
  responses: {
    200: json(AuthResult, 'Logged in.', examples.login.ok, setCookie),
    ...badRequest(examples.login.invalid),
    ...credentialsRefused(examples.login.refused),
    ...errorResponses({
      403: json(ErrorSchema, 'Right password, but REQUIRE_EMAIL_VERIFICATION is on and the email is not verified.', examples.login.unverified),
    }),
    ...bodyErrors,
    ...rateLimitErrors,
  },
})

const changePasswordRoute = createRoute({
  method: 'patch',
  path: '/changePassword',
  operationId: 'changePassword',
  tags,
  summary: 'Change the password',
  description:
    'No token needed: the old password proves identity. Every token issued before the change is refused afterwards.',
  middleware: [limitByIp, requireJson] as const,
  request: { body: jsonBody(changePasswordSchema, examples.changePassword.request) },
  responses: {
    200: json(PasswordChanged, 'Changed; every earlier token of this user is now refused.', examples.changePassword.ok),
    ...badRequest(examples.changePassword.invalid),
    ...credentialsRefused(examples.changePassword.refused),
    ...bodyErrors,
    ...rateLimitErrors,
  },
})

export const usersRouter = createRouter()
  .openapi(register, async (c) => {
    const config = getConfig(c.env)
    const mailer = linkMailer(c) // its configuration is checked before anything is written
    const events = userEvents(c.env) // so is this one
    const input = c.req.valid('json')
    await limitByEmail(c.env, input.email)
    rejectCommonPassword(config, 'password', input.password)
    const requireVerification = getAccountConfig(c.env).REQUIRE_EMAIL_VERIFICATION
    let user: UserRow
    try {
      user = await registerUser(c.var.db, input, config.BCRYPT_COST, config.USER_ID_FORMAT)
    } catch (e) {
      if (!(requireVerification && e instanceof ApiError && e.code === 'USER_EXISTS')) throw e
      // No session is issued here, so a taken email can be answered exactly like a new one (the
      // same bcrypt work, insert and body, with a user that was never written): register no longer
      // tells who has an account. The owner is told instead, after the response.
      c.executionCtx.waitUntil(
        inBackground('Register-attempt email', async () => {
          const owner = await findByEmail(mailer.db, input.email)
          if (owner) await mailLink(mailer, 'register-attempt', owner)
        }),
      )
      return c.json({ message: REGISTERED_UNVERIFIED, user: toPublicUser(newUserRow(input, '', config.USER_ID_FORMAT)) }, 201)
    }
    c.set('user', user) // for the request log
    await events.emit('user.created', user)
    c.executionCtx.waitUntil(inBackground('Verification email', () => mailLink(mailer, 'verify-email', user)))
    // Verification required: no session until the email is verified (login answers 403 until then).
    if (requireVerification) {
      return c.json({ message: REGISTERED_UNVERIFIED, user: toPublicUser(user) }, 201)
    }
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'User registered successfully', user: toPublicUser(user), token }, 201)
  })
  .openapi(login, async (c) => {
    const config = getConfig(c.env)
    const { email, password } = c.req.valid('json')
    await limitByEmail(c.env, email)
    const user = await verifyCredentials(c.var.db, email, password, config.BCRYPT_COST)
    c.set('user', user) // for the request log
    // Only after the password matched: a 403 tells nothing to someone without it.
    if (!user.emailVerified && getAccountConfig(c.env).REQUIRE_EMAIL_VERIFICATION) throw new ApiError('EMAIL_NOT_VERIFIED')
    await upgradeHashIfNeeded(c.var.db, user, password, config.BCRYPT_COST)
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'Login successful', user: toPublicUser(user), token }, 200)
  })
  .openapi(changePasswordRoute, async (c) => {
    const config = getConfig(c.env)
    const events = userEvents(c.env)
    const input = c.req.valid('json')
    await limitByEmail(c.env, input.email)
    rejectCommonPassword(config, 'newPassword', input.newPassword)
    const user = await changePassword(c.var.db, input, config.BCRYPT_COST)
    await events.emit(['user.updated', 'user.signed_out_everywhere'], user)
    return c.json({ success: true as const, message: 'Password updated successfully' }, 200)
  })
  .route('/', profileRouter)
  .route('/', sessionRouter)

// The components RegisterBody's oneOf names (documentation only: registerSchema validates).
for (const [name, schema] of Object.entries(registerShapes)) usersRouter.openAPIRegistry.register(name, schema)
