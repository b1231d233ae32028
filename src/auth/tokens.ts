import { sign, verify } from 'hono/jwt'
import * as z from 'zod'
import type { Config } from '../env'
import { ApiError } from '../errors'

/** The one place the algorithm is named: signing and verification both pin it. */
const ALG = 'HS256' as const

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(), // required: a token without an expiry is refused
  jti: z.string().min(1),
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

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>

/** Issues a session token for a user at their current token version. */
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
  return { token: await sign(claims, await hmacKey(config.JWT_SECRET), ALG), claims }
}

/**
 * Verifies signature (HS256 only), expiry, issuer, audience and claim shapes. Any failure is the
 * same 401, so a client learns nothing about why its token was refused. Revocation (jti, ver) is
 * checked by the caller.
 */
export async function verifyToken(token: string, config: TokenConfig): Promise<TokenClaims> {
  try {
    const payload = await verify(token, await hmacKey(config.JWT_SECRET), {
      alg: ALG,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
    })
    return claimsSchema.parse(payload)
  } catch {
    throw ApiError.unauthorized()
  }
}
