// Tokens the app's other services accept: `_id` beside `sub`, ES256 with JWT_SIGNING_KEY, the
// public keys at GET /.well-known/jwks.json, a rotation, and no key confusion.
import { env } from 'cloudflare:workers'
import { decode, sign, verifyWithJwks } from 'hono/jwt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { keyId } from '../../src/auth/tokens'
import { bearer, callWith, type Json, jsonInit } from '../support/request'
import { claimsOf, PASSWORD, uniqueEmail } from '../support/users'

type Jwk = JsonWebKey & { kid: string }

/** A new EC P-256 key pair as a private JWK with a kid: what `JWT_SIGNING_KEY` holds. */
async function ecKey(kid: string): Promise<Jwk> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
  const { kty, crv, x, y, d } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey
  return { kty, crv, x, y, d, kid }
}

const KEY_A = await ecKey(`a-${crypto.randomUUID()}`)
const KEY_B = await ecKey(`b-${crypto.randomUUID()}`)
const withKey = (current?: Jwk, previous?: Jwk): Json => ({
  JWT_SIGNING_KEY: current ? JSON.stringify(current) : undefined,
  JWT_SIGNING_KEY_PREVIOUS: previous ? JSON.stringify(previous) : undefined,
})
afterEach(() => vi.restoreAllMocks())

/** The lines the Worker logged as errors, kept out of the report. */
const errorLog = () => {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
  return () => spy.mock.calls.map((args) => args.join(' ')).join('\n')
}
const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const now = () => Math.floor(Date.now() / 1000)

async function register(bindings: Json = {}) {
  const body = { fullName: 'Ada Lovelace', email: uniqueEmail('keys'), password: PASSWORD }
  const res = await callWith(bindings, '/users/register', jsonInit('POST', body))
  const json = (await res.json()) as Json
  expect(res.status, JSON.stringify(json)).toBe(201)
  return { token: json.token as string, user: json.user as Json, email: body.email }
}
const profile = (bindings: Json, token: string) => callWith(bindings, '/users/profile', { headers: bearer(token) })
const jwks = async (bindings: Json, path = '/.well-known/jwks.json') => {
  const res = await callWith(bindings, path)
  return { status: res.status, body: (await res.json()) as Json, cacheControl: res.headers.get('Cache-Control') }
}
const header = (token: string) => decode(token).header as Json

describe('the claims every token carries', () => {
  it('POST /users/register and /users/login answer an HS256 token whose _id equals sub and the user _id (default)', async () => {
    const { token, user, email } = await register()
    expect(header(token).alg).toBe('HS256')
    expect(claimsOf(token)).toMatchObject({ _id: user._id, sub: user._id })
    const login = await callWith({}, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    const { token: second } = (await login.json()) as Json
    expect(claimsOf(second)).toMatchObject({ _id: user._id, sub: user._id })
  })

  it('GET /users/profile refuses a token whose _id differs from sub, even correctly signed', async () => {
    const { token, user } = await register()
    const other = await register()
    const claims = { ...claimsOf(token), _id: other.user._id }
    const k = btoa(env.JWT_SECRET).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const forged = await sign(claims, { kty: 'oct', k, alg: 'HS256', kid: await keyId(env.JWT_SECRET) } as Jwk)
    expect(claimsOf(forged).sub).toBe(user._id)
    const res = await profile({}, forged)
    expect([res.status, await res.json()]).toEqual([401, UNAUTHORIZED])
  })
})

describe('JWT_SIGNING_KEY: ES256 tokens', () => {
  it('POST /users/register signs ES256 with the key’s kid, _id === sub, and GET /users/profile accepts it', async () => {
    const { token, user } = await register(withKey(KEY_A))
    expect(header(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: KEY_A.kid })
    expect(claimsOf(token)).toMatchObject({ _id: user._id, sub: user._id })
    expect((await profile(withKey(KEY_A), token)).status).toBe(200)
  })

  it('GET /.well-known/jwks.json verifies the token (hono verifyWithJwks, the served keys only)', async () => {
    const { token, user } = await register(withKey(KEY_A))
    const { body } = await jwks(withKey(KEY_A))
    const payload = await verifyWithJwks(token, { keys: body.keys, allowedAlgorithms: ['ES256'] })
    expect(payload._id).toBe(user._id)
  })

  it('GET /users/profile still accepts an HS256 token issued before the key was set, and /users/session too', async () => {
    const { token, user } = await register()
    expect((await profile(withKey(KEY_A), token)).status).toBe(200)
    const session = await callWith(withKey(KEY_A), '/users/session', { headers: bearer(token) })
    expect(((await session.json()) as Json).user._id).toBe(user._id)
  })

  it('a rotation (new key current, old key previous) keeps both keys’ tokens valid and signs with the new one', async () => {
    const old = await register(withKey(KEY_A))
    const rotated = withKey(KEY_B, KEY_A)
    const fresh = await register(rotated)
    expect(header(fresh.token).kid).toBe(KEY_B.kid)
    expect((await profile(rotated, old.token)).status).toBe(200)
    expect((await profile(rotated, fresh.token)).status).toBe(200)
    const { body } = await jwks(rotated)
    expect(body.keys.map((k: Json) => k.kid)).toEqual([KEY_B.kid, KEY_A.kid])
    for (const t of [old.token, fresh.token]) await expect(verifyWithJwks(t, { keys: body.keys, allowedAlgorithms: ['ES256'] })).resolves.toBeTruthy()
  })

  it('GET /users/profile refuses the old key’s token once JWT_SIGNING_KEY_PREVIOUS is dropped', async () => {
    const old = await register(withKey(KEY_A))
    const res = await profile(withKey(KEY_B), old.token)
    expect([res.status, await res.json()]).toEqual([401, UNAUTHORIZED])
  })

  it('GET /users/profile refuses an ES256 token signed with another key under our kid', async () => {
    const { token } = await register(withKey(KEY_A))
    const foreign = await ecKey(KEY_A.kid)
    const forged = await sign(claimsOf(token), { ...foreign, alg: 'ES256' })
    expect(header(forged).kid).toBe(KEY_A.kid)
    expect((await profile(withKey(KEY_A), forged)).status).toBe(401)
  })

  it('GET /users/profile refuses an HS256 token whose kid names the EC key (signed with its public x as a secret)', async () => {
    const { token } = await register(withKey(KEY_A))
    const k = btoa(KEY_A.x!).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const confused = await sign(claimsOf(token), { kty: 'oct', k, alg: 'HS256', kid: KEY_A.kid } as Jwk)
    expect(header(confused)).toMatchObject({ alg: 'HS256', kid: KEY_A.kid })
    expect((await profile(withKey(KEY_A), confused)).status).toBe(401)
  })

  it('GET /users/profile refuses an ES256 token whose kid names the HMAC secret', async () => {
    const { token } = await register(withKey(KEY_A))
    const confused = await sign(claimsOf(token), { ...KEY_A, alg: 'ES256', kid: await keyId(env.JWT_SECRET) })
    expect(header(confused)).toMatchObject({ alg: 'ES256', kid: await keyId(env.JWT_SECRET) })
    expect((await profile(withKey(KEY_A), confused)).status).toBe(401)
  })

  it('GET /users/profile refuses an expired ES256 token', async () => {
    const { token } = await register(withKey(KEY_A))
    const expired = await sign({ ...claimsOf(token), iat: now() - 120, exp: now() - 60 }, { ...KEY_A, alg: 'ES256' })
    expect((await profile(withKey(KEY_A), expired)).status).toBe(401)
  })
})

describe('GET /.well-known/jwks.json', () => {
  it('answers { keys: [] } without JWT_SIGNING_KEY', async () => {
    expect(await jwks({})).toMatchObject({ status: 200, body: { keys: [] } })
  })

  it('serves only the public fields, even when the secret JWK holds other private ones', async () => {
    const loaded = { ...KEY_A, p: 'private-p', q: 'private-q', dp: 'private-dp', k: 'secret-k', key_ops: ['sign'], ext: true, note: 'x' }
    const { status, body } = await jwks({ JWT_SIGNING_KEY: JSON.stringify(loaded), JWT_SIGNING_KEY_PREVIOUS: JSON.stringify(KEY_B) })
    expect(status).toBe(200)
    for (const key of body.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
    expect(body.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: KEY_A.x, y: KEY_A.y, kid: KEY_A.kid, alg: 'ES256', use: 'sig' })
    const text = JSON.stringify(body)
    for (const secret of [KEY_A.d!, KEY_B.d!, 'private-p', 'secret-k']) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/"d"/)
  })

  it('may be cached for 5 minutes (public, max-age=300), unlike every other answer', async () => {
    expect((await jwks(withKey(KEY_A))).cacheControl).toBe('public, max-age=300')
  })

  it('answers the same set under /compat/<dialect> and whatever DIALECT says', async () => {
    const expected = (await jwks(withKey(KEY_A))).body
    expect((await jwks(withKey(KEY_A), '/compat/envelope/.well-known/jwks.json')).body).toEqual(expected)
    expect((await jwks({ ...withKey(KEY_A), DIALECT: 'envelope' })).body).toEqual(expected)
  })

  it.each([
    ['not JSON', 'not-json'],
    ['an RSA key', JSON.stringify({ kty: 'RSA', n: 'abc', e: 'AQAB', d: 'x', kid: 'r' })],
    ['no kid', JSON.stringify({ ...KEY_A, kid: undefined })],
    ['no private part', JSON.stringify({ ...KEY_A, d: undefined })],
    ['another curve', JSON.stringify({ ...KEY_A, crv: 'P-384' })],
    ['another alg', JSON.stringify({ ...KEY_A, alg: 'HS256' })],
  ])('a JWT_SIGNING_KEY that is %s is a configuration error: 500, and /health 503', async (_, value) => {
    const logged = errorLog()
    const bindings: Json = { JWT_SIGNING_KEY: value }
    const res = await jwks(bindings)
    expect([res.status, res.body, res.cacheControl]).toEqual([500, { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }, 'no-store'])
    const health = await callWith(bindings, '/health')
    expect([health.status, await health.json()]).toEqual([503, { status: 503, message: 'Unavailable: configuration', code: 'HEALTH_CHECK_FAILED' }])
    const login = await callWith(bindings, '/users/login', jsonInit('POST', { email: uniqueEmail(), password: PASSWORD }))
    expect(login.status).toBe(500)
    expect(logged()).toMatch(/Invalid configuration: JWT_SIGNING_KEY/)
    expect(logged()).not.toContain(KEY_A.d)
  })

  it('JWT_SIGNING_KEY_PREVIOUS holding another key under the kid of JWT_SIGNING_KEY is a configuration error', async () => {
    const logged = errorLog()
    const { status } = await jwks({ JWT_SIGNING_KEY: JSON.stringify(KEY_A), JWT_SIGNING_KEY_PREVIOUS: JSON.stringify({ ...KEY_B, kid: KEY_A.kid }) })
    expect(status).toBe(500)
    expect(logged()).toContain('JWT_SIGNING_KEY_PREVIOUS is another key with the kid of JWT_SIGNING_KEY')
  })

  it('the same key as JWT_SIGNING_KEY and JWT_SIGNING_KEY_PREVIOUS (mid-rotation) is served once, and its tokens work', async () => {
    const same = withKey(KEY_A, KEY_A)
    expect((await jwks(same)).body.keys.map((k: Json) => k.kid)).toEqual([KEY_A.kid])
    const { token } = await register(same)
    expect((await profile(same, token)).status).toBe(200)
  })
})
