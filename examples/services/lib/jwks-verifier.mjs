// Verifies the API's ES256 tokens with its public keys (GET /.well-known/jwks.json), with `jose`:
// no shared secret. Strict: also asks the API whether the session still stands (GET /users/session),
// so a logout, a password change or "log out everywhere" is seen at once, for one request to the API.
import { createRemoteJWKSet, jwtVerify } from 'jose'

/** The API could not say whether the session stands: strict verification refuses to guess. */
export class SessionCheckUnavailable extends Error {}

/**
 * `apiUrl`: where the API is served (`https://auth.example.com`). `issuer` and `audience`: its
 * JWT_ISSUER and JWT_AUDIENCE. Returns `verify(token)`, resolving to the token's claims (`_id`,
 * `sub`, `exp`, ...) or rejecting.
 */
export function jwksVerifier({ apiUrl, issuer = 'users-auth-api', audience = 'users-auth-api', strict = false }) {
  // Cached, and fetched again when a token names a kid it does not hold (a rotation), at most every 30 s.
  const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', apiUrl))
  return async function verify(token) {
    // ES256 only: an HS256 token, or one naming a key the set does not hold, is refused.
    const { payload } = await jwtVerify(token, keys, { algorithms: ['ES256'], issuer, audience })
    if (strict && !(await stillSignedIn(apiUrl, token, payload.sub))) throw new Error('the session has ended')
    return payload
  }
}

/** GET /users/session with the token: `{ user }` while it is valid, `{ user: null }` once it is not (never 401). */
async function stillSignedIn(apiUrl, token, sub) {
  let res
  try {
    res = await fetch(new URL('/users/session', apiUrl), { headers: { Authorization: `Bearer ${token}` } })
  } catch (e) {
    throw new SessionCheckUnavailable(`GET /users/session failed: ${e.message}`)
  }
  if (!res.ok) throw new SessionCheckUnavailable(`GET /users/session answered ${res.status}`)
  const { user } = await res.json()
  return user?._id === sub
}

/** The token a request carries: `Authorization: Bearer`, else the API's session cookie (same host only). */
export const tokenOf = (req) => {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  return req.cookies?.['__Host-token']
}
