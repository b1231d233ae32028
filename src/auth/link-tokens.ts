import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode'
import type { UserRow } from '../db/schema'

// The tokens in the emailed links. Stateless, like Django's PasswordResetTokenGenerator: an HMAC over
// the purpose, the user id, the expiry and the part of the user's row the link changes. Using the
// link changes that part, so the same token never verifies again (single use), and so does any other
// change of it (a reset link dies once the password changes, a verification link once the email is
// verified or changed). Nothing is stored: no table to clean up, nothing to read for a request that
// turns out to concern no account.

export type LinkPurpose = 'verify-email' | 'reset-password'

/** How long a link works: 24 h to verify an address, 1 h to reset a password. */
export const LINK_TTL_SECONDS: Record<LinkPurpose, number> = { 'verify-email': 24 * 3600, 'reset-password': 3600 }

type LinkUser = Pick<UserRow, 'id' | 'email' | 'passwordHash' | 'emailVerified'>

/** The state a link is bound to: when it changes, every link of that purpose issued before is dead. */
function boundState(purpose: LinkPurpose, user: LinkUser): string {
  return purpose === 'verify-email'
    ? `${user.email}\n${user.emailVerified ? 1 : 0}`
    : `${user.email}\n${user.passwordHash}`
}

const utf8 = new TextEncoder()
const LABEL = utf8.encode('users-auth-api link tokens v1')

// A key of its own, derived from the JWT secret (HMAC(secret, label)), so that a link token and a
// session token can never stand in for each other. Imported once per isolate and secret.
const keys = new Map<string, Promise<CryptoKey>>()
function linkKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      const derived = await crypto.subtle.sign('HMAC', root, LABEL)
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    })()
    keys.set(secret, key)
  }
  return key
}

const macInput = (purpose: LinkPurpose, user: LinkUser, exp: number) =>
  utf8.encode(`${purpose}\n${user.id}\n${exp}\n${boundState(purpose, user)}`)

/** `<user id>.<expiry, unix seconds>.<HMAC-SHA256, base64url>`: about 90 URL-safe characters. */
export async function createLinkToken(purpose: LinkPurpose, user: LinkUser, secret: string, now = Date.now()) {
  const exp = Math.floor(now / 1000) + LINK_TTL_SECONDS[purpose]
  const sig = await crypto.subtle.sign('HMAC', await linkKey(secret), macInput(purpose, user, exp))
  return `${user.id}.${exp}.${encodeBase64Url(sig).replace(/=+$/, '')}`
}

// 32 bytes are 43 base64url characters whose last one carries 2 unused bits: only the canonical
// spelling (those bits zero) is accepted, and the expiry has no leading zero, so a token has
// exactly one working form.
const TOKEN = /^([\w-]{1,64})\.([1-9]\d{0,11})\.([\w-]{42}[AEIMQUYcgkosw048])$/

/** The user id and expiry a token claims, or undefined when it is not shaped like one or has expired. */
export function readLinkToken(token: string, now = Date.now()): { userId: string; exp: number; sig: string } | undefined {
  const m = TOKEN.exec(token)
  if (!m) return undefined
  const exp = Number(m[2])
  return exp > Math.floor(now / 1000) ? { userId: m[1], exp, sig: m[3] } : undefined
}

/**
 * True when `token` was issued for `purpose` to this user in its current state, has not expired,
 * and was signed with one of `secrets` (JWT_SECRET, and JWT_SECRET_PREVIOUS during a rotation).
 * The MAC is compared in constant time.
 */
export async function verifyLinkToken(purpose: LinkPurpose, token: string, user: LinkUser, secrets: string[], now = Date.now()) {
  const claimed = readLinkToken(token, now)
  if (!claimed || claimed.userId !== user.id || claimed.exp > Math.floor(now / 1000) + LINK_TTL_SECONDS[purpose]) return false
  const given = decodeBase64Url(claimed.sig)
  const data = macInput(purpose, user, claimed.exp)
  let ok = false
  // WebCrypto's HMAC verify compares in constant time (workerd: BoringSSL's CRYPTO_memcmp). Every
  // secret is tried, so the time does not depend on which one matched.
  for (const secret of secrets) if (await crypto.subtle.verify('HMAC', await linkKey(secret), given, data)) ok = true
  return ok
}
