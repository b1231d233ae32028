import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sign } from 'hono/jwt'
import { type Json, PREFIXES, bearer, call, claimsOf, cookie, registered, send } from './helpers'

const SECRET = env.JWT_SECRET
const profile = (prefix: string, headers: Record<string, string> = {}) => call(`${prefix}/profile`, { headers })

describe.each(PREFIXES)('session under %s', (prefix) => {
  it('GET /profile answers 200 { user } with a Bearer token', async () => {
    const { token, json: reg } = await registered(prefix)
    const res = await profile(prefix, bearer(token))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: reg.user })
  })

  it('GET /profile answers 200 with the token cookie alone', async () => {
    const { token, json: reg } = await registered(prefix)
    const res = await profile(prefix, cookie(token))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user._id).toBe(reg.user._id)
  })

  it('GET /profile answers 401 without a token', async () => {
    const res = await profile(prefix)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })

  it.each(['POST', 'GET'])('%s /logout answers 200, clears the cookie and revokes the token', async (method) => {
    const { token } = await registered(prefix)
    const res = await call(`${prefix}/logout`, { method, headers: cookie(token) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Logged out successfully' })
    const setCookie = res.headers.get('Set-Cookie') ?? ''
    expect(setCookie).toMatch(/^__Host-token=;/)
    expect(setCookie).toMatch(/Max-Age=0/)
    expect(setCookie).toMatch(/Path=\//)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/Secure/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    // The same token is refused everywhere afterwards, by cookie and by Bearer.
    expect((await profile(prefix, cookie(token))).status).toBe(401)
    expect((await profile(prefix, bearer(token))).status).toBe(401)
    expect((await call(`${prefix}/logout`, { method, headers: bearer(token) })).status).toBe(401)
  })

  it.each(['POST', 'GET'])('%s /logout answers 401 without a valid token', async (method) => {
    for (const headers of [{}, bearer('garbage'), cookie('garbage')]) {
      const res = await call(`${prefix}/logout`, { method, headers })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
    }
  })
})

describe('logout and revocation', () => {
  it('writes the jti to KV with a TTL of the token remaining lifetime', async () => {
    const { token } = await registered()
    const { jti, exp } = claimsOf(token)
    await call('/users/logout', { method: 'POST', headers: bearer(token) })
    expect(await env.BLACKLIST.get(`revoked:${jti}`)).not.toBeNull()
    const listed = await env.BLACKLIST.list({ prefix: `revoked:${jti}` })
    const expiration = listed.keys[0]?.expiration ?? 0
    expect(Math.abs(expiration - exp)).toBeLessThanOrEqual(2)
  })

  it('writes a token with less than 60 s left with the 60 s minimum TTL KV accepts', async () => {
    const { json } = await registered()
    const exp = Math.floor(Date.now() / 1000) + 30
    const claims = { iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, sub: json.user._id, iat: exp - 60, exp, jti: crypto.randomUUID(), ver: 0 }
    const res = await call('/users/logout', { method: 'POST', headers: bearer(await sign(claims, SECRET, 'HS256')) })
    expect(res.status).toBe(200)
    const listed = await env.BLACKLIST.list({ prefix: `revoked:${claims.jti}` })
    const expiration = listed.keys[0]?.expiration ?? 0
    expect(Math.abs(expiration - (Math.floor(Date.now() / 1000) + 60))).toBeLessThanOrEqual(2)
  })

  it('keeps other sessions of the same user valid', async () => {
    const { email, password, token: first } = await registered()
    const second = ((await (await send('POST', '/users/login', { email, password })).json()) as Json).token
    await call('/users/logout', { method: 'POST', headers: bearer(first) })
    expect((await profile('/users', bearer(first))).status).toBe(401)
    expect((await profile('/users', bearer(second))).status).toBe(200)
  })
})

describe('token transport', () => {
  it('reads the Bearer header before the cookie', async () => {
    const a = await registered()
    const b = await registered()
    const res = await profile('/users', { ...bearer(a.token), ...cookie(b.token) })
    expect(((await res.json()) as Json).user._id).toBe(a.json.user._id)
  })

  it('does not fall back to the cookie when the Bearer token is bad', async () => {
    const { token } = await registered()
    expect((await profile('/users', { ...bearer('not.a.jwt'), ...cookie(token) })).status).toBe(401)
  })

  it('accepts the scheme in any case', async () => {
    const { token } = await registered()
    expect((await profile('/users', { Authorization: `bearer ${token}` })).status).toBe(200)
  })

  it('sets the cookie with Path=/, HttpOnly, Secure, SameSite=Lax and Max-Age of the TTL', async () => {
    const { res, token } = await registered()
    const setCookie = res.headers.get('Set-Cookie') ?? ''
    const parts = setCookie.split(';').map((p) => p.trim())
    expect(parts[0]).toBe(`__Host-token=${token}`)
    expect(parts.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=86400', 'Path=/', 'SameSite=Lax', 'Secure'])
  })
})

describe('token claims and verification', () => {
  it('carries iss, aud, sub, iat, exp = iat + TTL, a random jti and ver, signed HS256', async () => {
    const { token, json } = await registered()
    const [header] = token.split('.')
    // kid names the signing key (see test/secret-rotation.test.ts)
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
  async function forged(overrides: Json, secret = SECRET, alg: 'HS256' | 'HS512' = 'HS256') {
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
    expect((await profile('/users', bearer(await forged({})))).status).toBe(200)
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
    const res = await profile('/users', bearer(await forged(overrides)))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })

  it('refuses a token signed with another secret', async () => {
    expect((await profile('/users', bearer(await forged({}, 'another-secret-of-at-least-32-bytes!!')))).status).toBe(401)
  })

  it('refuses a token signed with another algorithm, even with the right secret', async () => {
    expect((await profile('/users', bearer(await forged({}, SECRET, 'HS512')))).status).toBe(401)
  })

  it('refuses an unsigned (alg none) token', async () => {
    const valid = await forged({})
    const [, payload] = valid.split('.')
    const none = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '')}.${payload}.`
    expect((await profile('/users', bearer(none))).status).toBe(401)
  })

  it('refuses a token whose payload was altered', async () => {
    const { token } = await registered()
    const other = await registered()
    const [h, , s] = token.split('.')
    const [, p2] = other.token.split('.')
    expect((await profile('/users', bearer(`${h}.${p2}.${s}`))).status).toBe(401)
  })
})
