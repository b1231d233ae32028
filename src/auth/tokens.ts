import { decode, sign, verify } from 'hono/jwt'
import * as z from 'zod'
import type { Config } from '../config/app.config'
import { ApiError } from '../core/errors'
import { CLOCK_SKEW_SECONDS, nowSeconds } from './clock'
import { LEGACY_MAX_LIFETIME_SECONDS, verifyLegacyToken } from './legacy-tokens'
import { signingJwk, verifyingKeys } from './signing-keys'

// Session tokens: what they claim, how they are issued and verified. Their keys and algorithms:
// signing-keys.ts; the old backend's tokens: legacy-tokens.ts.

export { keyId, verifyingSecrets } from './signing-keys'

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(), // required: a token without an expiry is refused
  jti: z.uuid(), // what issueToken writes; anything else (a 600-character key KV refuses) is not ours
  ver: z.number().int().min(0),
  /** `sub` again, under the name the old backends' services read (`decoded._id`); absent from tokens issued before it existed. */
  _id: z.string().optional(),
})

export type TokenClaims = z.output<typeof claimsSchema>

/**
 * What the session check needs of a verified token: whose it is (`sub`), its token version, its
 * expiry, and the id its revocation is stored under (`jti`; for an old backend's token, a hash of it).
 */
export type SessionClaims = Pick<TokenClaims, 'sub' | 'ver' | 'exp' | 'jti'>

type TokenConfig = Pick<
  Config,
  | 'JWT_SECRET'
  | 'JWT_SECRET_PREVIOUS'
  | 'JWT_SIGNING_KEY'
  | 'JWT_SIGNING_KEY_PREVIOUS'
  | 'LEGACY_JWT_SECRET'
  | 'JWT_TTL_SECONDS'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
>

/**
 * The longest an accepted token can still be valid: exp − now ≤ (iat + TTL + skew) − now, and
 * iat ≤ now + skew (an old backend's token, while LEGACY_JWT_SECRET is set: its own cap instead of
 * the TTL, when longer). A revocation kept this long outlives every token it can concern.
 */
export const maxRemainingLifetime = (config: Pick<Config, 'JWT_TTL_SECONDS' | 'LEGACY_JWT_SECRET'>) =>
  Math.max(config.JWT_TTL_SECONDS, config.LEGACY_JWT_SECRET ? LEGACY_MAX_LIFETIME_SECONDS : 0) + 2 * CLOCK_SKEW_SECONDS

/**
 * A lifetime this API could have issued: `exp − iat` no longer than JWT_TTL_SECONDS, and `iat` not
 * in the future, each up to the skew. A token signed with the secret but outside this (an `exp`
 * years ahead, an `iat` tomorrow) is refused like a bad signature. Lowering JWT_TTL_SECONDS
 * therefore ends the sessions issued with a longer one.
 */
function plausibleLifetime(claims: TokenClaims, config: TokenConfig) {
  return claims.exp - claims.iat <= config.JWT_TTL_SECONDS + CLOCK_SKEW_SECONDS && claims.iat <= nowSeconds() + CLOCK_SKEW_SECONDS
}

/**
 * Issues a session token for a user at their current token version: ES256 with JWT_SIGNING_KEY when
 * it is set, HS256 with JWT_SECRET otherwise. `_id` repeats `sub` for the old backends' services.
 */
export async function issueToken(user: { id: string; tokenVersion: number }, config: TokenConfig) {
  const iat = nowSeconds()
  const claims: TokenClaims = {
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    sub: user.id,
    _id: user.id,
    iat,
    exp: iat + config.JWT_TTL_SECONDS,
    jti: crypto.randomUUID(),
    ver: user.tokenVersion,
  }
  return { token: await sign(claims, await signingJwk(config)), claims }
}

/**
 * Verifies signature (with the key the token's `kid` names, in that key's algorithm only), expiry,
 * issuer, audience, claim shapes (`jti` a UUID, `_id` equal to `sub`) and lifetime (above); then,
 * while LEGACY_JWT_SECRET is set, a token of the old backend (legacy-tokens.ts). Any failure is the
 * same 401, so a client learns nothing about why its token was refused. Revocation (jti, ver) is
 * checked by the caller.
 */
export async function verifyToken(token: string, config: TokenConfig): Promise<SessionClaims> {
  let kid: unknown
  try {
    kid = (decode(token).header as { kid?: unknown }).kid
  } catch {
    throw new ApiError('UNAUTHORIZED') // not a JWT
  }
  for (const { alg, key } of await verifyingKeys(kid, config)) {
    try {
      const payload = await verify(token, key, {
        alg,
        iss: config.JWT_ISSUER,
        aud: config.JWT_AUDIENCE,
        iat: false, // checked by plausibleLifetime, with the skew (Hono's check allows none)
      })
      const claims = claimsSchema.parse(payload)
      if (plausibleLifetime(claims, config) && (claims._id === undefined || claims._id === claims.sub)) return claims
    } catch {}
  }
  // The old backend's tokens carry no kid; ours always do (or verified above, from before key ids).
  const legacy = config.LEGACY_JWT_SECRET && kid === undefined ? await verifyLegacyToken(token, config.LEGACY_JWT_SECRET) : undefined
  if (legacy) return legacy
  throw new ApiError('UNAUTHORIZED')
}
