import { createRoute } from '@hono/zod-openapi'
import { clearSessionCookie } from '../auth/cookie'
import { requireAuth } from '../auth/require-auth'
import { revokeToken } from '../auth/revocation'
import { maxRemainingLifetime } from '../auth/tokens'
import { getConfig } from '../config/app.config'
import { getOidcConfig } from '../config/oidc.config'
import { ErrorSchema, MessageResult } from '../core/schemas'
import { toPublicUser } from '../db/users.repository'
import { errorExamples } from '../docs/examples'
import {
  authErrors,
  badRequest,
  bodyErrors,
  clearCookie,
  json,
  jsonBody,
  lifecycleLimitErrors,
  originErrors,
  security,
  errorResponses,
} from '../docs/responses'
import { userEvents } from '../events/user-events'
import { createRouter } from '../http/router'
import { requireJson } from '../http/validate'
import { sameOriginForCookies } from '../security/cors'
import { enforceLimit, limitByEmail, limitByIp } from '../security/rate-limit'
import * as examples from './users.examples'
import { deleteAccountSchema, ProfileResult, profileShapes, updateProfileSchema } from './users.schemas'
import { deleteAccount, deleteAccountWithIdToken, updateName } from './users.service'

// The signed-in user's own account: read, rename, delete. Cookie-authenticated, the changes are ones
// a cross-site page must not trigger: sameOriginForCookies refuses a foreign Origin (403),
// requireJson refuses what an HTML form can send (415), and a cross-origin fetch with a JSON body
// needs a CORS preflight that only CORS_ORIGINS pass. The SameSite=Lax cookie is not sent on
// cross-site subrequests at all.

const tags = ['users']

const profile = createRoute({
  method: 'get',
  path: '/profile',
  operationId: 'profile',
  tags,
  summary: 'The current user',
  middleware: [requireAuth] as const,
  security,
  responses: { 200: json(ProfileResult, 'The token’s user.', examples.profile.ok), ...authErrors },
})

const updateProfile = createRoute({
  method: 'patch',
  path: '/profile',
  operationId: 'updateProfile',
  tags,
  summary: 'Change the name',
  description: 'The name in any of register’s three shapes; other keys are ignored (the password has routes of its own, the email cannot be changed).',
  middleware: [sameOriginForCookies, requireAuth, requireJson] as const,
  security,
  request: { body: jsonBody(updateProfileSchema, examples.updateProfile.request) },
  responses: {
    200: json(ProfileResult, 'The user, renamed.', examples.updateProfile.ok),
    ...badRequest(examples.updateProfile.invalid),
    ...authErrors,
    ...originErrors,
    ...bodyErrors,
  },
})

const deleteProfile = createRoute({
  method: 'delete',
  path: '/profile',
  operationId: 'deleteAccount',
  tags,
  summary: 'Delete the account',
  description:
    'The password confirms it; for an account that signs in with a provider (it may have no password), a fresh ID token of a linked identity (`{ idToken }`, issued at most 5 minutes ago) does instead. The user row and its identities are deleted: every token of the user is refused from then on, this one is revoked and its cookie cleared, and the email can register again.',
  middleware: [limitByIp, sameOriginForCookies, requireAuth, requireJson] as const,
  security,
  request: { body: jsonBody(deleteAccountSchema, examples.deleteAccount.request) },
  responses: {
    200: json(MessageResult, 'Deleted.', examples.deleteAccount.ok, clearCookie),
    ...badRequest(examples.deleteAccount.invalid),
    ...authErrors,
    ...errorResponses({
      401: json(ErrorSchema, 'No valid token, the wrong password, or an ID token that is invalid, not fresh or of no identity linked to the account.', {
        ...errorExamples.unauthorized,
        ...examples.deleteAccount.refused,
      }),
    }),
    ...originErrors,
    ...bodyErrors,
    ...lifecycleLimitErrors('per client IP, per user 5 per minute, and the per-email budget shared with login (10 per minute)'),
  },
})

export const profileRouter = createRouter()
  .openapi(profile, (c) => c.json({ user: toPublicUser(c.var.user) }, 200))
  .openapi(updateProfile, async (c) => {
    const events = userEvents(c.env)
    const user = await updateName(c.var.db, c.var.user.id, c.req.valid('json'))
    await events.emit('user.updated', user)
    return c.json({ user: toPublicUser(user) }, 200)
  })
  .openapi(deleteProfile, async (c) => {
    const config = getConfig(c.env)
    const events = userEvents(c.env)
    const body = c.req.valid('json')
    await enforceLimit(c.env.LIFECYCLE_LIMITER, `delete-account:${c.var.user.id}`)
    // A password guess like login's: it spends the same per-email budget, so a stolen token adds
    // no guesses to the ten a minute login and change password share.
    await limitByEmail(c.env, c.var.user.email)
    // The schema lets exactly one of the two through.
    if (body.idToken !== undefined) await deleteAccountWithIdToken(c.var.db, c.var.user, body.idToken, getOidcConfig(c.env).providers.values())
    else await deleteAccount(c.var.db, c.var.user, body.password ?? '', config.BCRYPT_COST)
    await events.emit('user.deleted', c.var.user) // the user as it was
    // The row is gone, so this token is refused already; revoking it too is belt and braces, and a
    // KV failure here must not turn a completed deletion into an error.
    await revokeToken(c.env.BLACKLIST, c.var.claims, maxRemainingLifetime(config)).catch(() => {})
    clearSessionCookie(c)
    return c.json({ message: 'Account deleted' }, 200)
  })

// The components UpdateProfileBody's oneOf names (documentation only: updateProfileSchema validates).
for (const [name, schema] of Object.entries(profileShapes)) profileRouter.openAPIRegistry.register(name, schema)
