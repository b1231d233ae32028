import * as z from 'zod'

// JWT_SIGNING_KEY and JWT_SIGNING_KEY_PREVIOUS: an EC P-256 key as a JWK, in JSON (a secret).

/** A P-256 coordinate or private scalar: 32 bytes, base64url without padding. */
const scalar = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url')

/** What a public key may show: exactly these fields, whatever else the secret JWK holds. */
export type PublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' }

export type EcSigningKey = {
  kid: string
  publicJwk: PublicJwk
  /** Only for JWT_SIGNING_KEY: the fields WebCrypto needs to sign, nothing else of the secret. */
  privateJwk?: { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string }
}

/**
 * An EC P-256 JWK with a `kid`, in JSON; empty = unset. `needsPrivate`: the current key signs, so it
 * must hold `d`; the previous one only verifies (its private part, if given, is dropped). Unknown
 * fields (key_ops, ext, anything a key tool adds) are dropped too, so nothing but the listed public
 * fields can ever be served. Messages name the setting and the field, never a value.
 */
export function ecKeySetting(name: string, needsPrivate: boolean) {
  const jwk = z
    .object(
      {
        kty: z.literal('EC', { error: `${name} must be an EC key (kty "EC")` }),
        crv: z.literal('P-256', { error: `${name} must be on the P-256 curve (crv "P-256")` }),
        x: scalar,
        y: scalar,
        d: needsPrivate ? scalar : scalar.optional(),
        kid: z.string({ error: `${name} needs a kid (the key id written into each token's header)` }).min(1).max(200),
        alg: z.literal('ES256', { error: `${name} is for ES256 (alg "ES256" or none)` }).optional(),
        use: z.literal('sig', { error: `${name} is a signing key (use "sig" or none)` }).optional(),
      },
      { error: `${name} must be a JWK: a JSON object` },
    )
    .transform(({ kid, x, y, d }): EcSigningKey => ({
      kid,
      publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' },
      privateJwk: needsPrivate && d ? { kty: 'EC', crv: 'P-256', x, y, d } : undefined,
    }))
  return z
    .string()
    .optional()
    .transform((s, ctx): unknown => {
      if (!s) return undefined
      try {
        return JSON.parse(s)
      } catch {
        ctx.issues.push({ code: 'custom', message: `${name} is not JSON (a JWK, as one line)`, input: undefined })
        return z.NEVER
      }
    })
    .pipe(jwk.optional())
}
