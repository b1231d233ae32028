import { decode, sign, verify } from 'hono/jwt'
import { encodeBase64Url } from 'hono/utils/encode'
import * as z from 'zod'
import type { Config } from '../config/app.config'
import { ApiError } from '../core/errors'

/** The one place the algorithm is named: signing and verification both pin it. */
const ALG = 'HS256' as const

/**
 * The clock difference tolerated between the Worker that issued a token and the one checking it.
 * Both run on Cloudflare's NTP-synced machines, where clocks differ by milliseconds; `iat` is
 * rounded down to the second, so a few seconds absorb that without letting a forged timestamp in.
 */
export const CLOCK_SKEW_SECONDS = 10

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(), // required: a token without an expiry is refused
  jti: z.uuid(), // what issueToken writes; anything else (a 600-character key KV refuses) is not ours
  ver: z.number().int().min(0),
})

export type TokenClaims = z.output<typeof claimsSchema>

// The HMAC key is imported once per isolate and secret, not on every request.
const keys = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
    keys.set(secret, key)
  }
  return key
}

const KID_LABEL = new TextEncoder().encode('users-auth-api key id')
const kids = new Map<string, Promise<string>>()

/**
 * The key id written into every token's header (`kid`): the first 9 bytes of HMAC(secret, label),
 * base64url. It names the secret without revealing anything about it, and changes when it changes.
 */
export function keyId(secret: string): Promise<string> {
  let kid = kids.get(secret)
  if (!kid) {
    kid = hmacKey(secret).then(async (key) =>
      encodeBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, KID_LABEL)).slice(0, 9).buffer),
    )
    kids.set(secret, kid)
  }
  return kid
}

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_SECRET_PREVIOUS' | 'JWT_TTL_SECONDS' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>

/**
 * The longest an accepted token can still be valid: exp − now ≤ (iat + TTL + skew) − now, and
 * iat ≤ now + skew. A revocation kept this long outlives every token it can concern.
 */
export const maxRemainingLifetime = (config: Pick<Config, 'JWT_TTL_SECONDS'>) =>
  config.JWT_TTL_SECONDS + 2 * CLOCK_SKEW_SECONDS

/**
 * A lifetime this API could have issued: `exp − iat` no longer than JWT_TTL_SECONDS, and `iat` not
 * in the future, each up to the skew. A token signed with the secret but outside this (an `exp`
 * years ahead, an `iat` tomorrow) is refused like a bad signature. Lowering JWT_TTL_SECONDS
 * therefore ends the sessions issued with a longer one.
 */
function plausibleLifetime(claims: TokenClaims, config: TokenConfig) {
  const now = Math.floor(Date.now() / 1000)
  return claims.exp - claims.iat <= config.JWT_TTL_SECONDS + CLOCK_SKEW_SECONDS && claims.iat <= now + CLOCK_SKEW_SECONDS
}

/** Issues a session token for a user at their current token version, signed with JWT_SECRET. */
export async function issueToken(user: { id: string; tokenVersion: number }, config: TokenConfig) {
  const iat = Math.floor(Date.now() / 1000)
  const claims: TokenClaims = {
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    sub: user.id,
    iat,
    exp: iat + config.JWT_TTL_SECONDS,
    jti: crypto.randomUUID(),
    ver: user.tokenVersion,
  }
  const jwk: JsonWebKey & { kid: string } = {
    kty: 'oct',
    k: encodeBase64Url(new TextEncoder().encode(config.JWT_SECRET).buffer),
    alg: ALG,
    kid: await keyId(config.JWT_SECRET),
  }
  return { token: await sign(claims, jwk, ALG), claims }
}

/** Every secret that verifies (never signs, for the previous one): JWT_SECRET, and JWT_SECRET_PREVIOUS during a rotation. */
export const verifyingSecrets = (config: Pick<Config, 'JWT_SECRET' | 'JWT_SECRET_PREVIOUS'>) =>
  [config.JWT_SECRET, config.JWT_SECRET_PREVIOUS].filter((s): s is string => !!s)

/**
 * The secrets a token may have been signed with, chosen by its `kid`: JWT_SECRET, or
 * JWT_SECRET_PREVIOUS while it is set (rotation). A token without `kid` (issued before key ids)
 * may be either. An unknown `kid` matches none: refused.
 */
async function candidateSecrets(token: string, config: TokenConfig): Promise<string[]> {
  const secrets = verifyingSecrets(config)
  const { kid } = decode(token).header as { kid?: unknown }
  if (kid === undefined) return secrets
  for (const secret of secrets) if (kid === (await keyId(secret))) return [secret]
  return []
}

/**
 * Verifies signature (HS256 only, with the secret the token's `kid` names), expiry, issuer,
 * audience, claim shapes (`jti` a UUID) and lifetime (above). Any failure is the same 401, so a
 * client learns nothing about why its token was refused. Revocation (jti, ver) is checked by the caller.
 */
export async function verifyToken(token: string, config: TokenConfig): Promise<TokenClaims> {
  let secrets: string[] = []
  try {
    secrets = await candidateSecrets(token, config)
  } catch {} // not a JWT: no secret to try
  for (const secret of secrets) {
    try {
      const payload = await verify(token, await hmacKey(secret), {
        alg: ALG,
        iss: config.JWT_ISSUER,
        aud: config.JWT_AUDIENCE,
        iat: false, // checked by plausibleLifetime, with the skew (Hono's check allows none)
      })
      const claims = claimsSchema.parse(payload)
      if (plausibleLifetime(claims, config)) return claims
    } catch {}
  }
  throw new ApiError('UNAUTHORIZED')
}
