import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { getConfig, type AppEnv } from '../env'
import { ApiError } from '../errors'
import { findById } from '../users/users.service'
import { readSessionCookie } from './cookie'
import { isRevoked } from './revocation'
import { verifyToken } from './tokens'

const BEARER = /^Bearer\s+(\S+)\s*$/i

export type Credential = { via: 'bearer' | 'cookie'; token: string }

/**
 * The credential a request carries: `Authorization: Bearer` wins; the session cookie is read only
 * when no Bearer header is sent. A malformed Bearer header still counts as Bearer (and fails).
 */
export function credentialOf(c: Context): Credential | undefined {
  const header = c.req.header('Authorization')
  if (header && /^Bearer\b/i.test(header)) return { via: 'bearer', token: BEARER.exec(header)?.[1] ?? '' }
  const token = readSessionCookie(c)
  return token === undefined ? undefined : { via: 'cookie', token }
}

/**
 * Puts the token's user on `c.var.user`, or answers 401. The blacklist read (KV) and the user read
 * (D1, which carries the current token version) run concurrently: one round trip of each, no more.
 */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = credentialOf(c)?.token
  if (!token) throw ApiError.unauthorized()
  const claims = await verifyToken(token, getConfig(c.env))
  const [revoked, user] = await Promise.all([isRevoked(c.env.BLACKLIST, claims.jti), findById(c.var.db, claims.sub)])
  if (revoked || !user || user.tokenVersion !== claims.ver) throw ApiError.unauthorized()
  c.set('user', user)
  c.set('claims', claims)
  await next()
})
