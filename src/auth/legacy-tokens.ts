import { verify } from 'hono/jwt'
import { encodeBase64Url } from 'hono/utils/encode'
import * as z from 'zod'
import { CLOCK_SKEW_SECONDS, nowSeconds } from './clock'
import { legacyKey } from './signing-keys'

// The old backend's tokens, accepted while LEGACY_JWT_SECRET is set, so that nobody is logged out
// at the switch: `jwt.sign({ _id }, secret, { expiresIn })` of jsonwebtoken, HS256, no kid.

/**
 * The longest lifetime an old token may claim (`exp − iat`): 30 days. Old backends issued hours or
 * days (`expiresIn: '24h'`, `'7d'`); a token claiming more is refused like a bad signature, and so
 * is one without `exp` (it would never end). So no old token outlives the switch by more than 30 days.
 */
export const LEGACY_MAX_LIFETIME_SECONDS = 30 * 24 * 3600

/** What only our tokens carry: an old token with any of them is not an old token. */
const OUR_CLAIMS = ['iss', 'aud', 'sub', 'jti', 'ver']

const legacyClaims = z.object({
  _id: z.string().min(1).max(200),
  iat: z.number().int(),
  exp: z.number().int(),
})

/** The id an old token's revocation is stored under (it has no `jti`): SHA-256 of the token, base64url. */
export async function revocationId(token: string): Promise<string> {
  return encodeBase64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))).replace(/=+$/, '')
}

/**
 * An old backend's token, verified with LEGACY_JWT_SECRET (HS256 only): `{ _id, iat, exp }`, not
 * expired, with a plausible lifetime (above). Its session is the user whose id is `_id`, at token
 * version 0: any bump since the import (password change, reset, logout-all) refuses it, as does a
 * logout with it (its hash in the blacklist). Undefined when it is not one.
 */
export async function verifyLegacyToken(token: string, secret: string) {
  try {
    const { alg, key } = await legacyKey(secret)
    const payload = await verify(token, key, { alg, iat: false }) // exp (when present) checked here
    if (OUR_CLAIMS.some((claim) => claim in payload)) return undefined
    const { _id, iat, exp } = legacyClaims.parse(payload)
    if (exp - iat > LEGACY_MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS || iat > nowSeconds() + CLOCK_SKEW_SECONDS) return undefined
    return { sub: _id, ver: 0, exp, jti: await revocationId(token) }
  } catch {
    return undefined
  }
}
