import type { HonoJsonWebKey } from 'hono/utils/jwt/jws'
import { encodeBase64Url } from 'hono/utils/encode'
import type { Config } from '../config/app.config'
import type { EcSigningKey, PublicJwk } from '../config/signing-key'

/**
 * The one place the JWT algorithms are named. HS256 with JWT_SECRET is the default; ES256 with
 * JWT_SIGNING_KEY when it is set. Every key verifies with its own algorithm only: the key a token's
 * `kid` names decides the algorithm, never the token's header (no key confusion: an HS256 token
 * naming the EC key, or an ES256 token naming an HMAC key, is refused).
 */
const HMAC = 'HS256' as const
const EC = 'ES256' as const

export type Alg = typeof HMAC | typeof EC
export type VerifyingKey = { alg: Alg; key: CryptoKey }

type KeyConfig = Pick<Config, 'JWT_SECRET' | 'JWT_SECRET_PREVIOUS' | 'JWT_SIGNING_KEY' | 'JWT_SIGNING_KEY_PREVIOUS'>

// Keys are imported once per isolate and key, not on every request.
const imported = new Map<string, Promise<CryptoKey>>()
function once(id: string, load: () => Promise<CryptoKey>) {
  let key = imported.get(id)
  if (!key) {
    key = load()
    imported.set(id, key)
  }
  return key
}

const hmacKey = (secret: string) =>
  once(`hmac:${secret}`, () =>
    crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
  )

const ecPublicKey = ({ kty, crv, x, y }: PublicJwk) =>
  once(`ec:${x}.${y}`, () => crypto.subtle.importKey('jwk', { kty, crv, x, y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']))

const KID_LABEL = new TextEncoder().encode('users-auth-api key id')
const kids = new Map<string, Promise<string>>()

/**
 * The key id written into every HS256 token's header (`kid`): the first 9 bytes of HMAC(secret,
 * label), base64url. It names the secret without revealing anything about it, and changes when it changes.
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

/** Every secret that verifies (never signs, for the previous one): JWT_SECRET, and JWT_SECRET_PREVIOUS during a rotation. */
export const verifyingSecrets = (config: Pick<Config, 'JWT_SECRET' | 'JWT_SECRET_PREVIOUS'>) =>
  [config.JWT_SECRET, config.JWT_SECRET_PREVIOUS].filter((s): s is string => !!s)

/** The EC keys, current first; the previous one once only (it may still be the current one, mid-rotation). */
const ecKeys = ({ JWT_SIGNING_KEY: current, JWT_SIGNING_KEY_PREVIOUS: previous }: KeyConfig) =>
  [current, previous?.kid === current?.kid ? undefined : previous].filter((k): k is EcSigningKey => !!k)

/** The key new tokens are signed with, as hono's `sign` takes it (its `alg` and `kid` go into the header). */
export async function signingJwk(config: KeyConfig): Promise<HonoJsonWebKey> {
  const ec = config.JWT_SIGNING_KEY
  if (ec?.privateJwk) return { ...ec.privateJwk, alg: EC, kid: ec.kid }
  const k = encodeBase64Url(new TextEncoder().encode(config.JWT_SECRET).buffer)
  return { kty: 'oct', k, alg: HMAC, kid: await keyId(config.JWT_SECRET) }
}

/**
 * The keys a token may have been signed with, chosen by its `kid`, each with the one algorithm it
 * verifies: an EC key (current or previous) names ES256, an HMAC secret (JWT_SECRET, or
 * JWT_SECRET_PREVIOUS during a rotation) HS256. A token without `kid` (issued before key ids) may be
 * either secret, HS256 only. An unknown `kid` matches none: refused.
 */
export async function verifyingKeys(kid: unknown, config: KeyConfig): Promise<VerifyingKey[]> {
  if (kid === undefined) return Promise.all(verifyingSecrets(config).map(async (s) => ({ alg: HMAC, key: await hmacKey(s) })))
  for (const ec of ecKeys(config)) if (kid === ec.kid) return [{ alg: EC, key: await ecPublicKey(ec.publicJwk) }]
  for (const secret of verifyingSecrets(config)) if (kid === (await keyId(secret))) return [{ alg: HMAC, key: await hmacKey(secret) }]
  return []
}

/** The old backend's secret: HS256, the only algorithm its tokens had. */
export const legacyKey = async (secret: string): Promise<VerifyingKey> => ({ alg: HMAC, key: await hmacKey(secret) })

/** The public keys services verify ES256 tokens with: the current one, and the previous one during a rotation. */
export const publicJwks = (config: KeyConfig): PublicJwk[] => ecKeys(config).map((k) => k.publicJwk)
