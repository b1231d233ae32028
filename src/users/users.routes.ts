import { Hono } from 'hono'
import { clearSessionCookie, setSessionCookie } from '../auth/cookie'
import { requireAuth } from '../auth/require-auth'
import { revokeToken } from '../auth/revocation'
import { issueToken } from '../auth/tokens'
import { type AppEnv, getConfig } from '../env'
import { validate } from '../validate'
import { changePasswordSchema, loginSchema, registerSchema } from './users.schemas'
import { changePassword, registerUser, toPublicUser, verifyCredentials } from './users.service'

export const users = new Hono<AppEnv>()
  .post('/register', ...validate(registerSchema), async (c) => {
    const config = getConfig(c.env)
    const user = await registerUser(c.var.db, c.req.valid('json'), config.BCRYPT_COST)
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'User registered successfully', user: toPublicUser(user), token }, 201)
  })
  .post('/login', ...validate(loginSchema), async (c) => {
    const config = getConfig(c.env)
    const { email, password } = c.req.valid('json')
    const user = await verifyCredentials(c.var.db, email, password, config.BCRYPT_COST)
    const { token } = await issueToken(user, config)
    setSessionCookie(c, token, config.JWT_TTL_SECONDS)
    return c.json({ message: 'Login successful', user: toPublicUser(user), token }, 200)
  })
  // Existing clients log out with GET as well as POST.
  .on(['GET', 'POST'], '/logout', requireAuth, async (c) => {
    await revokeToken(c.env.BLACKLIST, c.var.claims)
    clearSessionCookie(c)
    return c.json({ message: 'Logged out successfully' }, 200)
  })
  .get('/profile', requireAuth, (c) => c.json({ user: toPublicUser(c.var.user) }, 200))
  .patch('/changePassword', ...validate(changePasswordSchema), async (c) => {
    await changePassword(c.var.db, c.req.valid('json'), getConfig(c.env).BCRYPT_COST)
    return c.json({ success: true as const, message: 'Password updated successfully' }, 200)
  })
