import type { HonoJsonWebKey } from 'hono/utils/jwt/jws'
import { ApiError } from '../core/errors'

// The public keys of OpenID providers: the discovery document (`<issuer>/.well-known/openid-configuration`)
// names the JWKS, and both are kept per isolate for as long as their Cache-Control allows.

/** A key set may be refetched for an unknown `kid` at most this often (providers publish a new key before they use it). */
export const UNKNOWN_KID_REFETCH_MS = 60_000
/** No response is kept longer than a day, whatever it says. */
const MAX_CACHE_SECONDS = 86_400
/** A provider that does not answer within this is unavailable (503), not a hung request. */
const FETCH_TIMEOUT_MS = 5_000

export type SigningKey = HonoJsonWebKey & { kid: string; alg: 'RS256' | 'ES256' }

type Cached<T> = { value: T; fetchedAt: number; expiresAt: number }

/**
 * How many seconds a response may be reused: `max-age` (`s-maxage` for shared caches does not
 * apply here) less its `Age`, at most a day; 0 with `no-store`, `no-cache` or no `max-age`.
 */
export function freshFor(headers: Headers): number {
  const directives = (headers.get('Cache-Control') ?? '').toLowerCase().split(',').map((d) => d.trim())
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined)
  if (maxAge === undefined) return 0
  const age = Number(headers.get('Age') ?? 0) || 0
  return Math.max(0, Math.min(Number(maxAge), MAX_CACHE_SECONDS) - age)
}

function unavailable(issuer: string, what: string, reason: unknown): ApiError {
  console.error(`OIDC provider unavailable (${issuer}): ${what}: ${reason instanceof Error ? reason.message : reason}`)
  return new ApiError('OIDC_PROVIDER_UNAVAILABLE')
}

async function fetchJson(issuer: string, url: string, what: string): Promise<Cached<Record<string, unknown>>> {
  let res: Response
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  } catch (e) {
    throw unavailable(issuer, what, e)
  }
  if (!res.ok) throw unavailable(issuer, what, `HTTP ${res.status}`)
  let body: unknown
  try {
    body = await res.json()
  } catch {
    throw unavailable(issuer, what, 'not JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unavailable(issuer, what, 'not a JSON object')
  const now = Date.now()
  return { value: body as Record<string, unknown>, fetchedAt: now, expiresAt: now + freshFor(res.headers) * 1000 }
}

/** A key URL on the issuer's terms: https, or http where the issuer itself is an accepted local http one. */
function sameSchemeRules(issuer: string, url: unknown): url is string {
  if (typeof url !== 'string') return false
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || (protocol === 'http:' && issuer.startsWith('http:'))
  } catch {
    return false
  }
}

/** A published key this API can verify with, pinned to its one algorithm (no key serves two). */
function signingKey(jwk: unknown): SigningKey | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined
  const k = jwk as Record<string, unknown>
  if (typeof k.kid !== 'string' || (k.use !== undefined && k.use !== 'sig')) return undefined
  if (k.kty === 'RSA' && typeof k.n === 'string' && typeof k.e === 'string' && (k.alg === undefined || k.alg === 'RS256')) {
    return { kty: 'RSA', n: k.n, e: k.e, kid: k.kid, alg: 'RS256' }
  }
  if (k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string' && (k.alg === undefined || k.alg === 'ES256')) {
    return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y, kid: k.kid, alg: 'ES256' }
  }
  return undefined
}

// Per isolate, by issuer: the JWKS URL from discovery, and the key set (with the refresh under way,
// so that concurrent requests share one fetch).
const discovered = new Map<string, Cached<string>>()
const keySets = new Map<string, { current?: Cached<SigningKey[]>; pending?: Promise<Cached<SigningKey[]>> }>()

async function jwksUri(issuer: string): Promise<string> {
  const cached = discovered.get(issuer)
  if (cached && Date.now() < cached.expiresAt) return cached.value
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const doc = await fetchJson(issuer, url, 'discovery document')
  // OpenID Connect Discovery: the document must name the issuer it was fetched for.
  if (doc.value.issuer !== issuer) throw unavailable(issuer, 'discovery document', 'its issuer is another one')
  if (!sameSchemeRules(issuer, doc.value.jwks_uri)) throw unavailable(issuer, 'discovery document', 'no usable jwks_uri')
  discovered.set(issuer, { ...doc, value: doc.value.jwks_uri })
  return doc.value.jwks_uri
}

async function fetchKeys(issuer: string): Promise<Cached<SigningKey[]>> {
  const jwks = await fetchJson(issuer, await jwksUri(issuer), 'JWKS')
  if (!Array.isArray(jwks.value.keys)) throw unavailable(issuer, 'JWKS', 'no keys array')
  return { ...jwks, value: jwks.value.keys.map(signingKey).filter((k): k is SigningKey => k !== undefined) }
}

function refresh(issuer: string): Promise<Cached<SigningKey[]>> {
  const entry = keySets.get(issuer) ?? {}
  keySets.set(issuer, entry)
  entry.pending ??= fetchKeys(issuer)
    .then((keys) => (entry.current = keys))
    .finally(() => (entry.pending = undefined))
  return entry.pending
}

/**
 * The issuer's signing key `kid`, or undefined when its JWKS does not hold it. The key set is
 * fetched when there is none or it is stale, and again for a `kid` it lacks (a rotation) if it is
 * over a minute old: a flood of made-up `kid`s costs at most one fetch a minute. An unreachable
 * provider is a 503 (OIDC_PROVIDER_UNAVAILABLE).
 */
export async function providerKey(issuer: string, kid: string): Promise<SigningKey | undefined> {
  let keys = keySets.get(issuer)?.current
  if (!keys || Date.now() >= keys.expiresAt) keys = await refresh(issuer)
  const find = (set: Cached<SigningKey[]>) => set.value.find((k) => k.kid === kid)
  const key = find(keys)
  if (key || Date.now() - keys.fetchedAt < UNKNOWN_KID_REFETCH_MS) return key
  return find(await refresh(issuer))
}
