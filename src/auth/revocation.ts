import { ApiError } from '../core/errors'
import { nowSeconds } from './clock'
import type { SessionClaims } from './tokens'

/** KV refuses TTLs under 60 s. */
const MIN_KV_TTL = 60

const key = (jti: string) => `revoked:${jti}`

/**
 * Blacklists one token until it would have expired anyway. The TTL is clamped to what KV accepts:
 * at least 60 s, at most `maxTtl` (maxRemainingLifetime: no accepted token lives longer), so a
 * claim can never make the write fail.
 */
export async function revokeToken(kv: KVNamespace, claims: Pick<SessionClaims, 'jti' | 'exp'>, maxTtl: number) {
  const ttl = Math.min(Math.max(maxTtl, MIN_KV_TTL), Math.max(MIN_KV_TTL, claims.exp - nowSeconds()))
  try {
    await kv.put(key(claims.jti), '1', { expirationTtl: ttl })
  } catch (e) {
    console.error('KV write failed while revoking a token', e)
    throw new ApiError('SERVICE_UNAVAILABLE')
  }
}

/** Fails closed: when KV cannot be read, the token is refused with 503, never accepted unchecked. */
export async function isRevoked(kv: KVNamespace, jti: string): Promise<boolean> {
  try {
    return (await kv.get(key(jti))) !== null
  } catch (e) {
    console.error('KV read failed while checking a token', e)
    throw new ApiError('SERVICE_UNAVAILABLE')
  }
}
