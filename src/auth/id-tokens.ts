import { decode, verifyWithJwks } from 'hono/jwt'
import * as z from 'zod'
import type { Provider } from '../config/oidc.config'
import { ApiError } from '../core/errors'
import { providerKey } from './jwks'
import { CLOCK_SKEW_SECONDS, nowSeconds } from './clock'

// ID tokens of OpenID providers (Google, or any configured in OIDC_PROVIDERS): hono's JWT helpers
// check the signature against the provider's published keys; nothing here is hand-written crypto.

/** The asymmetric algorithms providers sign with. `none`, HS256 and the rest are refused before any key is looked at. */
const ALGORITHMS = ['RS256', 'ES256'] as const

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().min(1).max(255),
  exp: z.number(), // required: a token without an expiry is refused
  iat: z.number(),
  email: z.unknown().optional(),
  email_verified: z.unknown().optional(),
  name: z.unknown().optional(),
  given_name: z.unknown().optional(),
  family_name: z.unknown().optional(),
  picture: z.unknown().optional(),
})

/** A verified ID token's claims. The profile claims (email, names, picture) are as the provider sent them. */
export type IdTokenClaims = z.output<typeof claimsSchema>

/** One refusal for every check, so that a caller learns nothing about which one failed. */
export const invalidIdToken = () => new ApiError('OIDC_TOKEN_INVALID')

/** The token's header and claims, read without checking anything; undefined when it is not shaped like a JWT. */
/** Far above any provider's ID token (Google's are about 1 KB): a longer one is refused unread. */
const MAX_ID_TOKEN_LENGTH = 8192

function read(token: string) {
  if (token.length > MAX_ID_TOKEN_LENGTH) return undefined
  try {
    const { header, payload } = decode(token)
    const claims = claimsSchema.safeParse(payload)
    return claims.success ? { header, claims: claims.data } : undefined
  } catch {
    return undefined
  }
}

const audiences = (aud: string | string[]) => (Array.isArray(aud) ? aud : [aud])

/** The claims checks that need no key: issuer, audience, expiry, issue time (with our own tokens' skew). */
function claimsHold(provider: Provider, claims: IdTokenClaims, now: number) {
  return (
    provider.issuers.includes(claims.iss) &&
    audiences(claims.aud).some((aud) => provider.clientIds.includes(aud)) &&
    claims.exp > now &&
    claims.iat <= now + CLOCK_SKEW_SECONDS
  )
}

/**
 * Verifies an ID token of `provider`: RS256 or ES256 with a `kid` its JWKS holds (refetched at most
 * once a minute for an unknown one), `iss` one of the provider's, `aud` one of its client ids, `exp`
 * in the future, `iat` not (beyond 10 s of skew), `sub` present. The checks that need no key come
 * first, so a malformed or stale token never costs a request to the provider. Every refusal is the
 * same 401 (OIDC_TOKEN_INVALID); the provider being unreachable is a 503.
 */
export async function verifyIdToken(token: string, provider: Provider): Promise<IdTokenClaims> {
  const parsed = read(token)
  const now = nowSeconds()
  if (!parsed || !claimsHold(provider, parsed.claims, now)) throw invalidIdToken()
  const { header, claims } = parsed
  if (!ALGORITHMS.includes(header.alg as (typeof ALGORITHMS)[number]) || typeof header.kid !== 'string') throw invalidIdToken()
  const key = await providerKey(provider.issuer, header.kid)
  if (!key) throw invalidIdToken()
  try {
    // The key is pinned to its algorithm: hono refuses a header whose `alg` differs (no key confusion).
    await verifyWithJwks(token, {
      keys: [key],
      allowedAlgorithms: ALGORITHMS,
      verification: { iss: claims.iss, aud: provider.clientIds, iat: false }, // iat: checked above, with the skew
    })
  } catch {
    throw invalidIdToken()
  }
  return claims
}

/**
 * Verifies an ID token of whichever configured provider it claims to come from (its `iss` and
 * `aud`): the provider and the claims. For re-authentication (DELETE /profile), where the route does
 * not name the provider.
 */
export async function verifyIdTokenOfAny(token: string, providers: Iterable<Provider>): Promise<{ provider: Provider; claims: IdTokenClaims }> {
  const parsed = read(token)
  const now = nowSeconds()
  const provider = parsed && [...providers].find((p) => claimsHold(p, parsed.claims, now))
  if (!provider) throw invalidIdToken()
  return { provider, claims: await verifyIdToken(token, provider) }
}
