import { Hono } from 'hono'
import { clearSessionCookie, setSessionCookie } from '../auth/cookie'
import { isCommonPassword } from '../auth/password-blocklist'
import { requireAuth } from '../auth/require-auth'
import { revokeToken } from '../auth/revocation'
import { issueToken } from '../auth/tokens'
import { type AppEnv, type Config, getConfig } from '../env'
import { ApiError } from '../errors'
import { sameOriginForCookies } from '../security/cors'
import { enforceLimit, limitByIp } from '../security/rate-limit'
import { validate } from '../validate'
import { changePasswordSchema, loginSchema, registerSchema } from './users.schemas'
import {
  changePassword,
  endAllSessions,
  registerUser,
  toPublicUser,
  upgradeHashIfNeeded,
  verifyCredentials,
} from './users.service'

/** The optional blocklist (PASSWORD_BLOCKLIST=common), checked before any bcrypt work. */
function rejectCommonPassword(config: Config, path: string, password: string) {
  if (config.PASSWORD_BLOCKLIST === 'common' && isCommonPassword(password)) {
    throw ApiError.field(path, 'This password is too common: choose one that is harder to guess')
  }
}

export const users = new Hono<AppEnv>()
  .post('/register', limitByIp, ...validate(registerSchema), async (c) => {
    const config = getConfig(c.env)
    const input = c.req.valid('json')
    rejectCommonPassword(config, 'password', input.password)
    const user = await registerUser(c.var.db, input, config.BCRYPT_COST)
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'User registered successfully', user: toPublicUser(user), token }, 201)
  })
  .post('/login', limitByIp, ...validate(loginSchema), async (c) => {
    const config = getConfig(c.env)
    const { email, password } = c.req.valid('json')
    await enforceLimit(c.env.LOGIN_LIMITER, email)
    const user = await verifyCredentials(c.var.db, email, password, config.BCRYPT_COST)
    await upgradeHashIfNeeded(c.var.db, user, password, config.BCRYPT_COST)
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'Login successful', user: toPublicUser(user), token }, 200)
  })
  // Existing clients log out with GET as well as POST.
  .on(['GET', 'POST'], '/logout', sameOriginForCookies, requireAuth, async (c) => {
    await revokeToken(c.env.BLACKLIST, c.var.claims)
    clearSessionCookie(c)
    return c.json({ message: 'Logged out successfully' }, 200)
  })
  .post('/logout-all', sameOriginForCookies, requireAuth, async (c) => {
    await endAllSessions(c.var.db, c.var.user.id)
    clearSessionCookie(c)
    return c.json({ message: 'Logged out from all sessions' }, 200)
  })
  .get('/profile', requireAuth, (c) => c.json({ user: toPublicUser(c.var.user) }, 200))
  .patch('/changePassword', limitByIp, ...validate(changePasswordSchema), async (c) => {
    const config = getConfig(c.env)
    const input = c.req.valid('json')
    await enforceLimit(c.env.CHANGE_PASSWORD_LIMITER, input.email)
    rejectCommonPassword(config, 'newPassword', input.newPassword)
    await changePassword(c.var.db, input, config.BCRYPT_COST)
    return c.json({ success: true as const, message: 'Password updated successfully' }, 200)
  })
