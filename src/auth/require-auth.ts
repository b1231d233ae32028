import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { getConfig } from '../config/app.config'
import { ApiError } from '../core/errors'
import type { UserRow } from '../db/schema'
import { findById } from '../db/users.repository'
import type { AppEnv } from '../types'
import { readSessionCookie } from './cookie'
import { isRevoked } from './revocation'
import { type SessionClaims, verifyToken } from './tokens'

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
 * The session the request's token proves: its user and claims, or undefined for no token or one that
 * is invalid, expired, revoked, outdated or whose user is gone. The blacklist read (KV) and the user
 * read (D1, which carries the current token version) run concurrently: one round trip of each, no
 * more. KV or D1 failing still throws (503): a token is never accepted unchecked.
 */
export async function currentSession<E extends AppEnv>(c: Context<E>): Promise<{ user: UserRow; claims: SessionClaims } | undefined> {
  const token = credentialOf(c)?.token
  if (!token) return undefined
  const config = getConfig(c.env)
  const claims = await verifyToken(token, config).catch(() => undefined)
  if (!claims) return undefined
  const [revoked, user] = await Promise.all([isRevoked(c.env.BLACKLIST, claims.jti), findById(c.var.db, claims.sub)])
  if (revoked || !user || user.tokenVersion !== claims.ver) return undefined
  return { user, claims }
}

/** The environment of a route behind requireAuth: the token's claims beside its user. */
export type AuthEnv = AppEnv & { Variables: { claims: SessionClaims } }

/** Puts the token's user on `c.var.user` and its claims on `c.var.claims` (see currentSession), or answers 401. */
export const requireAuth = createMiddleware<AuthEnv>(async (c, next) => {
  const session = await currentSession(c)
  if (!session) throw new ApiError('UNAUTHORIZED')
  c.set('user', session.user)
  c.set('claims', session.claims)
  await next()
})
