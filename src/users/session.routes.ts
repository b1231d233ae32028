import { createRoute, type RouteHandler } from '@hono/zod-openapi'
import { clearSessionCookie } from '../auth/cookie'
import { currentSession, requireAuth } from '../auth/require-auth'
import { revokeToken } from '../auth/revocation'
import { maxRemainingLifetime } from '../auth/tokens'
import { getConfig } from '../config/app.config'
import { MessageResult } from '../core/schemas'
import { toPublicUser } from '../db/users.repository'
import { authErrors, clearCookie, json, originErrors, security, serverErrors } from '../docs/responses'
import { userEvents } from '../events/user-events'
import { noHead } from '../http/methods'
import { createRouter } from '../http/router'
import { sameOriginForCookies } from '../security/cors'
import * as examples from './users.examples'
import { SessionResult } from './users.schemas'
import { endAllSessions } from './users.service'

// Who is signed in, and logging out: a Bearer token or the session cookie (requireAuth).

const tags = ['users']

// A quiet check for pages that load signed in or not: never a 401 (which a browser logs as an error).
const sessionCheck = createRoute({
  method: 'get',
  path: '/session',
  operationId: 'session',
  tags,
  summary: 'Who is signed in, if anyone',
  description:
    'Answers 200 whether or not a session exists: `{ user }` for a valid token, `{ user: null }` for none or one that is invalid, expired, revoked or outdated. For pages that want to know without a 401.',
  security: [...security, {}],
  responses: { 200: json(SessionResult, 'The token’s user, or null.', examples.session.ok), ...serverErrors },
})

const logout = createRoute({
  method: 'post',
  path: '/logout',
  operationId: 'logout',
  tags,
  summary: 'Log out',
  description:
    'Revokes this token (its `jti` goes to the KV blacklist) and clears the cookie. Other sessions stay valid.',
  middleware: [sameOriginForCookies, requireAuth] as const,
  security,
  responses: {
    200: json(MessageResult, 'Logged out.', examples.logout.ok, clearCookie),
    ...authErrors,
    ...originErrors,
  },
})

// Existing clients log out with GET as well as POST. HEAD would run it too: noHead answers 405.
const logoutWithGet = createRoute({
  ...logout,
  method: 'get',
  operationId: 'logoutWithGet',
  summary: 'Log out (GET, for existing clients)',
  description: `${logout.description} With the session cookie, a browser request must come from this API's pages, a listed origin (\`Origin\`) or a typed URL (\`Sec-Fetch-Site\` same-origin or none): an image or a link on a sibling subdomain gets 403. \`HEAD\` is refused with 405: it never logs out.`,
  middleware: [noHead, sameOriginForCookies, requireAuth] as const,
})

const logoutAll = createRoute({
  method: 'post',
  path: '/logout-all',
  operationId: 'logoutAll',
  tags,
  summary: 'Log out everywhere',
  description: 'Bumps the user’s token version: every session of this user ends at once, everywhere.',
  middleware: [sameOriginForCookies, requireAuth] as const,
  security,
  responses: {
    200: json(MessageResult, 'Every session of this user is ended.', examples.logoutAll.ok, clearCookie),
    ...authErrors,
    ...originErrors,
  },
})

const endSession: RouteHandler<typeof logout> = async (c) => {
  await revokeToken(c.env.BLACKLIST, c.var.claims, maxRemainingLifetime(getConfig(c.env)))
  clearSessionCookie(c)
  return c.json({ message: 'Logged out successfully' }, 200)
}

export const sessionRouter = createRouter()
  .openapi(sessionCheck, async (c) => {
    const session = await currentSession(c)
    if (session) c.set('user', session.user) // the request log names the user
    return c.json({ user: session ? toPublicUser(session.user) : null }, 200)
  })
  .openapi(logout, endSession)
  .openapi(logoutWithGet, endSession)
  .openapi(logoutAll, async (c) => {
    const events = userEvents(c.env)
    await endAllSessions(c.var.db, c.var.user.id)
    await events.emit('user.signed_out_everywhere', c.var.user)
    clearSessionCookie(c)
    return c.json({ message: 'Logged out from all sessions' }, 200)
  })
