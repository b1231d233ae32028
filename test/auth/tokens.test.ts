// Tokens: a session token signed with the secret is still refused when its claims are not ours;
// revocation; JWT_SECRET rotation and a missing or short secret; the emailed link tokens.
import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLinkToken, LINK_TTL_SECONDS, readLinkToken, verifyLinkToken } from '../../src/auth/link-tokens'
import { revokeToken } from '../../src/auth/revocation'
import { keyId } from '../../src/auth/tokens'
import { mailbox, registeredIn } from '../support/mailbox'
import { bearer, call, callWith, type Json, jsonInit } from '../support/request'
import { claimsOf, PASSWORD, registered, uniqueEmail } from '../support/users'

const TTL = Number(env.JWT_TTL_SECONDS) // 86400
const YEAR = 365 * 24 * 3600
const now = () => Math.floor(Date.now() / 1000)
const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }

afterEach(() => vi.restoreAllMocks())

/** A token for a real user, signed with the test secret, with `claims` replaced. */
async function forged(claims: Json) {
  const { json } = await registered()
  const iat = now()
  const payload = { iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, sub: json.user._id, iat, exp: iat + TTL, jti: crypto.randomUUID(), ver: 0, ...claims }
  return sign(payload, env.JWT_SECRET, 'HS256')
}
const profile = async (token: string) => call('/users/profile', { headers: bearer(token) })
const logout = async (token: string) => call('/users/logout', { method: 'POST', headers: bearer(token) })

describe('token claims', () => {
  it('accepts the lifetime we issue, and a few seconds of clock skew (control)', async () => {
    expect((await profile(await forged({})))).toHaveProperty('status', 200)
    expect((await profile(await forged({ exp: now() + TTL + 5 })))).toHaveProperty('status', 200)
    expect((await profile(await forged({ iat: now() + 5, exp: now() + 5 + TTL })))).toHaveProperty('status', 200)
  })

  it.each([
    ['an exp years ahead', () => ({ exp: now() + 10 * YEAR })],
    ['exp − iat a minute over JWT_TTL_SECONDS', () => ({ exp: now() + TTL + 60 })],
    ['an iat an hour in the future', () => ({ iat: now() + 3600, exp: now() + 3600 + TTL })],
    ['an iat a minute in the future', () => ({ iat: now() + 60, exp: now() + 60 })],
    ['a 600-character jti', () => ({ jti: 'j'.repeat(600) })],
    ['a jti that is not a UUID', () => ({ jti: 'not-a-uuid' })],
    ['a jti that is a UUID with extra text', () => ({ jti: `${crypto.randomUUID()}x` })],
  ])('GET /users/profile refuses a token with %s', async (_, claims) => {
    const res = await profile(await forged(claims()))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(UNAUTHORIZED)
  })

  it('POST /users/logout refuses a token with an exp years ahead (401: its revocation is never written)', async () => {
    const token = await forged({ exp: now() + 10 * YEAR })
    const res = await logout(token)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(UNAUTHORIZED)
    expect(await env.BLACKLIST.list({ prefix: `revoked:${claimsOf(token).jti}` })).toMatchObject({ keys: [] })
  })

  it('POST /users/logout of a token at the edge of the skew stores its revocation until it expires', async () => {
    const exp = now() + TTL + 5
    const token = await forged({ exp })
    expect((await logout(token)).status).toBe(200)
    const { jti } = claimsOf(token)
    const [key] = (await env.BLACKLIST.list({ prefix: `revoked:${jti}` })).keys
    expect(key.expiration).toBeGreaterThanOrEqual(exp - 2)
    expect((await profile(token)).status).toBe(401)
  })
})

describe('token claims and verification', () => {
  it('carries iss, aud, sub, iat, exp = iat + TTL, a random jti and ver, signed HS256', async () => {
    const { token, json } = await registered()
    const [header] = token.split('.')
    // kid names the signing key (see 'JWT_SECRET rotation' below)
    expect(JSON.parse(atob(header.replace(/-/g, '+').replace(/_/g, '/')))).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) })
    const claims = claimsOf(token)
    expect(Object.keys(claims).sort()).toEqual(['_id', 'aud', 'exp', 'iat', 'iss', 'jti', 'sub', 'ver'])
    expect(claims.iss).toBe('users-auth-api')
    expect(claims.aud).toBe('users-auth-api')
    expect(claims.sub).toBe(json.user._id)
    expect(claims.exp - claims.iat).toBe(86400)
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5)
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(claims.ver).toBe(0)
    expect(claimsOf((await registered()).token).jti).not.toBe(claims.jti)
  })

  const now = () => Math.floor(Date.now() / 1000)
  async function forged(overrides: Json, secret = env.JWT_SECRET, alg: 'HS256' | 'HS512' = 'HS256') {
    const { json } = await registered()
    const claims = {
      iss: env.JWT_ISSUER,
      aud: env.JWT_AUDIENCE,
      sub: json.user._id,
      iat: now(),
      exp: now() + 600,
      jti: crypto.randomUUID(),
      ver: 0,
      ...overrides,
    }
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k as keyof typeof claims]
    return sign(claims, secret, alg)
  }

  it('accepts a well-formed token signed with the secret (control)', async () => {
    expect((await profile(await forged({}))).status).toBe(200)
  })

  it.each([
    ['a past exp', { exp: now() - 10 }],
    ['a missing exp', { exp: undefined }],
    ['a missing ver', { ver: undefined }],
    ['a stale ver', { ver: 1 }],
    ['an unknown sub', { sub: crypto.randomUUID() }],
    ['a missing jti', { jti: undefined }],
    ['another issuer', { iss: 'someone-else' }],
    ['a missing issuer', { iss: undefined }],
    ['another audience', { aud: 'another-api' }],
    ['a missing audience', { aud: undefined }],
  ])('refuses a token with %s', async (_, overrides) => {
    const res = await profile(await forged(overrides))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })

  it('refuses a token signed with another secret', async () => {
    expect((await profile(await forged({}, 'another-secret-of-at-least-32-bytes!!'))).status).toBe(401)
  })

  it('refuses a token signed with another algorithm, even with the right secret', async () => {
    expect((await profile(await forged({}, env.JWT_SECRET, 'HS512'))).status).toBe(401)
  })

  it('refuses an unsigned (alg none) token', async () => {
    const valid = await forged({})
    const [, payload] = valid.split('.')
    const none = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '')}.${payload}.`
    expect((await profile(none)).status).toBe(401)
  })

  it('refuses a token whose payload was altered', async () => {
    const { token } = await registered()
    const other = await registered()
    const [h, , s] = token.split('.')
    const [, p2] = other.token.split('.')
    expect((await profile(`${h}.${p2}.${s}`)).status).toBe(401)
  })
})

describe('revokeToken', () => {
  it('clamps the TTL to what KV accepts: at least 60 s, at most the longest lifetime a valid token can have', async () => {
    const jti = crypto.randomUUID()
    const maxTtl = TTL + 20
    await revokeToken(env.BLACKLIST, { jti, exp: 1e22 }, maxTtl)
    const [key] = (await env.BLACKLIST.list({ prefix: `revoked:${jti}` })).keys
    expect(Math.abs((key.expiration ?? 0) - (now() + maxTtl))).toBeLessThanOrEqual(2)
    const past = crypto.randomUUID()
    await revokeToken(env.BLACKLIST, { jti: past, exp: now() - 10 }, maxTtl)
    const [min] = (await env.BLACKLIST.list({ prefix: `revoked:${past}` })).keys
    expect(Math.abs((min.expiration ?? 0) - (now() + 60))).toBeLessThanOrEqual(2)
  })
})

const OLD = env.JWT_SECRET // what the test binding signs with
const NEW = 'a-brand-new-secret-that-is-at-least-32-bytes'
const header = (token: string) => JSON.parse(atob(token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))) as Json
const profileWith = (bindings: Record<string, unknown>, token: string) => callWith(bindings, '/users/profile', { headers: bearer(token) })

describe('JWT_SECRET rotation', () => {
  it('a token names its key in the header (kid), a fingerprint that is not the secret', async () => {
    const { token } = await registered()
    const { alg, typ, kid } = header(token)
    expect({ alg, typ }).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(kid).toBe(await keyId(OLD))
    expect(kid).toMatch(/^[\w-]{12}$/)
    expect(OLD).not.toContain(kid)
    expect(await keyId(NEW)).not.toBe(kid)
  })

  it('GET /users/profile accepts a token signed with the previous secret while JWT_SECRET_PREVIOUS is set', async () => {
    const { token } = await registered() // signed with OLD
    const rotated = { JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }
    const res = await profileWith(rotated, token)
    expect(res.status).toBe(200)
  })

  it('GET /users/profile refuses that token once JWT_SECRET_PREVIOUS is removed', async () => {
    const { token } = await registered()
    const res = await profileWith({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: undefined }, token)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })

  it('POST /users/login after a rotation signs with the new JWT_SECRET, never the previous one', async () => {
    const { email } = await registered()
    const rotated = { JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }
    const login = await callWith(rotated, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as Json
    expect(header(token).kid).toBe(await keyId(NEW))
    // Valid with the new secret alone (after the previous one is removed), not with the old one alone.
    expect((await profileWith({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: undefined }, token)).status).toBe(200)
    expect((await profileWith({ JWT_SECRET: OLD, JWT_SECRET_PREVIOUS: undefined }, token)).status).toBe(401)
  })

  it('a token with an unknown kid is refused, even when its signature is good', async () => {
    const { token } = await registered()
    const [, payload] = token.split('.')
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    const jwk = { kty: 'oct', k: btoa(OLD).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), alg: 'HS256', kid: 'unknown-key' }
    const forged = await sign(claims, jwk as JsonWebKey, 'HS256')
    expect(header(forged).kid).toBe('unknown-key')
    const res = await profileWith({}, forged)
    expect(res.status).toBe(401)
  })

  it("a token whose kid names the previous key but is signed with another secret is refused", async () => {
    const { token } = await registered() // kid = OLD's
    const [h, p] = token.split('.')
    const other = await sign(JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))), NEW)
    const mixed = `${h}.${p}.${other.split('.')[2]}` // OLD's kid, NEW's signature over another header
    expect((await profileWith({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }, mixed)).status).toBe(401)
  })

  it('a JWT_SECRET_PREVIOUS shorter than 32 bytes fails closed, and the log says why', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { token } = await registered()
    const res = await profileWith({ JWT_SECRET_PREVIOUS: 'short' }, token)
    expect(res.status).toBe(500)
    expect(log.mock.calls.flat().join(' ')).toMatch(/JWT_SECRET_PREVIOUS must be at least 32 bytes/)
  })

  it('an empty JWT_SECRET_PREVIOUS counts as unset', async () => {
    const { token } = await registered()
    expect((await profileWith({ JWT_SECRET_PREVIOUS: '' }, token)).status).toBe(200)
  })
})

const register = (email = uniqueEmail(), password = PASSWORD) =>
  jsonInit('POST', { fullName: 'John Doe', email, password })

describe('JWT_SECRET fails closed', () => {
  it.each([
    ['shorter than 32 bytes', 'too-short-secret', /JWT_SECRET must be at least 32 bytes/],
    ['missing', undefined, /JWT_SECRET is not set/],
  ])('a secret %s: requests that need it get 500 JSON and the log says why', async (_, secret, logged) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const overrides = { JWT_SECRET: secret }
    const { token } = await registered()
    for (const res of [
      await callWith(overrides, '/users/register', register()),
      await callWith(overrides, '/users/login', jsonInit('POST', { email: uniqueEmail(), password: PASSWORD })),
      await callWith(overrides, '/users/profile', { headers: bearer(token) }),
    ]) {
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' })
    }
    expect(log.mock.calls.flat().join(' ')).toMatch(logged)
    // /health tells the truth (503, naming the configuration, never the value); routes that do not need it keep working.
    const health = await callWith(overrides, '/health')
    expect([health.status, await health.json()]).toEqual([503, { status: 503, message: 'Unavailable: configuration', code: 'HEALTH_CHECK_FAILED' }])
    expect((await callWith(overrides, '/openapi.json')).status).toBe(200)
  })
})

const SECRET = 'link-secret-that-is-at-least-32-bytes-long'
const OTHER = 'another-secret-that-is-at-least-32-bytes-long'
const user = { id: '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d', email: 'ada@example.com', passwordHash: '$2b$10$hash', emailVerified: false }

describe('link tokens', () => {
  it('are <user id>.<expiry>.<43 base64url characters>, URL-safe, with the purpose’s lifetime', async () => {
    const now = Date.UTC(2026, 3, 20)
    for (const purpose of ['verify-email', 'reset-password'] as const) {
      const token = await createLinkToken(purpose, user, SECRET, now)
      expect(token).toMatch(/^[\w-]+\.\d+\.[\w-]{43}$/)
      expect(encodeURIComponent(token)).toBe(token)
      expect(readLinkToken(token, now)).toMatchObject({ userId: user.id, exp: now / 1000 + LINK_TTL_SECONDS[purpose] })
    }
    expect(LINK_TTL_SECONDS).toEqual({ 'verify-email': 86_400, 'reset-password': 3_600 })
  })

  it('verify for their purpose, user and state until they expire', async () => {
    const now = Date.now()
    const token = await createLinkToken('reset-password', user, SECRET, now)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now)).toBe(true)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now + 3599_000)).toBe(true)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now + 3600_000)).toBe(false)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET], now)).toBe(false)
    expect(await verifyLinkToken('reset-password', token, { ...user, id: crypto.randomUUID() }, [SECRET], now)).toBe(false)
    expect(await verifyLinkToken('reset-password', token, user, [OTHER], now)).toBe(false)
  })

  it('die when the state they are bound to changes', async () => {
    const reset = await createLinkToken('reset-password', user, SECRET)
    expect(await verifyLinkToken('reset-password', reset, { ...user, passwordHash: '$2b$10$other' }, [SECRET])).toBe(false)
    expect(await verifyLinkToken('reset-password', reset, { ...user, email: 'new@example.com' }, [SECRET])).toBe(false)
    const verify = await createLinkToken('verify-email', user, SECRET)
    expect(await verifyLinkToken('verify-email', verify, { ...user, emailVerified: true }, [SECRET])).toBe(false)
    expect(await verifyLinkToken('verify-email', verify, { ...user, email: 'new@example.com' }, [SECRET])).toBe(false)
    // A verification link does not depend on the password, nor a reset link on the verification.
    expect(await verifyLinkToken('verify-email', verify, { ...user, passwordHash: '$2b$10$other' }, [SECRET])).toBe(true)
    expect(await verifyLinkToken('reset-password', reset, { ...user, emailVerified: true }, [SECRET])).toBe(true)
  })

  it('signed with the previous secret still verify while it is listed (JWT_SECRET rotation)', async () => {
    const token = await createLinkToken('verify-email', user, OTHER)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET, OTHER])).toBe(true)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET])).toBe(false)
  })

  it('refuse anything not shaped like one', async () => {
    for (const token of ['', 'a.b.c', `${user.id}.1.${'A'.repeat(42)}`, `${user.id}.99999999999.${'A'.repeat(44)}`, `../${user.id}.1.x`]) {
      expect(await verifyLinkToken('verify-email', token, user, [SECRET]), token).toBe(false)
    }
  })

  it("have one spelling: the signature's last character with its unused bits set is refused", async () => {
    const token = await createLinkToken('verify-email', user, SECRET)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET])).toBe(true)
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = B64.indexOf(token.at(-1)!)
    expect(last % 4).toBe(0) // the canonical form: the two unused low bits are zero
    for (const bits of [1, 2, 3]) {
      const variant = token.slice(0, -1) + B64[last + bits]
      expect(await verifyLinkToken('verify-email', variant, user, [SECRET]), variant).toBe(false)
    }
  })

  it('POST /verify-email accepts a link sent before JWT_SECRET was rotated', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box)
    const token = box.token(email, 'verify')
    const rotated = { JWT_SECRET: OTHER, JWT_SECRET_PREVIOUS: env.JWT_SECRET, EMAIL: box.bindings.EMAIL }
    expect((await callWith(rotated, '/users/verify-email', jsonInit('POST', { token }))).status).toBe(200)
  })
})
