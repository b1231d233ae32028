// Sessions: a Bearer token or the __Host-token cookie on GET /profile and /session; logout, logout-all
// and revocation; the cookie's flags; cookie tossing (a second or a plain `token` cookie); logout by a
// same-site request or a HEAD.
import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { bearer, call, cookie, type Json, jsonInit, PREFIXES, send } from '../support/request'
import { claimsOf, PASSWORD, registered, userRow } from '../support/users'

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

const check = (prefix: string, headers: Record<string, string> = {}) => call(`${prefix}/session`, { headers })

describe.each(PREFIXES)('GET %s/session', (prefix) => {
  it('answers 200 { user: null } without a token', async () => {
    const res = await check(prefix)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
    expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  it('answers 200 { user } with a Bearer token or the cookie', async () => {
    const { token, json: reg } = await registered(prefix)
    for (const headers of [bearer(token), cookie(token)]) {
      const res = await check(prefix, headers)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ user: reg.user })
    }
  })

  it('answers 200 { user: null } for an invalid, revoked, outdated or orphaned token, never 401', async () => {
    const revoked = await registered(prefix)
    await call(`${prefix}/logout`, { method: 'POST', headers: bearer(revoked.token) })
    const outdated = await registered(prefix)
    await call(`${prefix}/logout-all`, { method: 'POST', headers: bearer(outdated.token) })
    const deleted = await registered(prefix)
    await call(`${prefix}/profile`, jsonInit('DELETE', { password: PASSWORD }, bearer(deleted.token)))
    for (const headers of [
      bearer('garbage'),
      cookie('garbage'),
      bearer(revoked.token),
      cookie(outdated.token),
      bearer(deleted.token),
      { Authorization: 'Basic abc' },
    ]) {
      const res = await check(prefix, headers)
      expect(res.status, JSON.stringify(headers)).toBe(200)
      expect(await res.json()).toEqual({ user: null })
    }
  })

  it('shows the email’s verification state', async () => {
    const { token } = await registered(prefix)
    const { user } = (await (await check(prefix, bearer(token))).json()) as Json
    expect(user.emailVerified).toBe(false)
  })
})

const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const FORBIDDEN = { status: 403, message: 'Forbidden: origin not allowed', code: 'ORIGIN_NOT_ALLOWED' }
const usersProfile = (headers: Record<string, string>) => call('/users/profile', { headers })
const userOf = async (res: Response) => ((await res.json()) as Json).user?._id
const revoked = (token: string) => env.BLACKLIST.get(`revoked:${claimsOf(token).jti}`)

/** The cookie's attributes, sorted, after its `name=value`. */
const attributes = (setCookie: string | null) => {
  const [pair, ...rest] = (setCookie ?? '').split(';').map((p) => p.trim())
  return { pair, flags: rest.sort() }
}

describe('the session cookie is __Host-token', () => {
  it('POST /users/register and POST /users/login set __Host-token: Secure, Path=/, HttpOnly, SameSite=Lax, no Domain', async () => {
    const { res, token, email } = await registered()
    const login = await send('POST', '/users/login', { email, password: PASSWORD })
    const loginToken = ((await login.json()) as Json).token
    for (const [r, t] of [[res, token], [login, loginToken]] as const) {
      expect(attributes(r.headers.get('Set-Cookie'))).toEqual({
        pair: `__Host-token=${t}`,
        flags: ['HttpOnly', 'Max-Age=86400', 'Path=/', 'SameSite=Lax', 'Secure'],
      })
    }
  })

  it('GET /users/profile answers 200 with the __Host-token cookie', async () => {
    const { token, json } = await registered()
    const res = await usersProfile({ Cookie: `__Host-token=${token}` })
    expect(res.status).toBe(200)
    expect(await userOf(res)).toBe(json.user._id)
  })

  it('POST /users/logout clears __Host-token with Max-Age=0 and the same flags', async () => {
    const { token } = await registered()
    const res = await call('/users/logout', { method: 'POST', headers: { Cookie: `__Host-token=${token}` } })
    expect(res.status).toBe(200)
    expect(attributes(res.headers.get('Set-Cookie'))).toEqual({
      pair: '__Host-token=',
      flags: ['HttpOnly', 'Max-Age=0', 'Path=/', 'SameSite=Lax', 'Secure'],
    })
  })

  it('GET /users/profile: one __Host-token is a session, two are refused with 401 (even the same token twice)', async () => {
    const a = await registered()
    const b = await registered()
    expect((await usersProfile({ Cookie: `__Host-token=${a.token}` })).status).toBe(200)
    for (const cookies of [`__Host-token=${a.token}; __Host-token=${b.token}`, `__Host-token=${a.token}; __Host-token=${a.token}`]) {
      const res = await usersProfile({ Cookie: cookies })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual(UNAUTHORIZED)
    }
  })

  it('POST /users/logout with two __Host-token cookies answers 401 and revokes neither', async () => {
    const a = await registered()
    const b = await registered()
    expect((await usersProfile({ Cookie: `__Host-token=${a.token}` })).status).toBe(200)
    const res = await call('/users/logout', { method: 'POST', headers: { Cookie: `__Host-token=${a.token}; __Host-token=${b.token}` } })
    expect(res.status).toBe(401)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(await revoked(a.token)).toBeNull()
    expect(await revoked(b.token)).toBeNull()
  })

  it('a plain `token` cookie tossed from a sibling subdomain is ignored: the victim stays in their own account', async () => {
    const victim = await registered()
    const attacker = await registered()
    const res = await usersProfile({ Cookie: `token=${attacker.token}; __Host-token=${victim.token}` })
    expect(res.status).toBe(200)
    expect(await userOf(res)).toBe(victim.json.user._id)
    // Alone, it is no session at all: after logout the victim is not signed into the attacker's account.
    expect((await usersProfile({ Cookie: `token=${attacker.token}` })).status).toBe(401)
  })

  it('the Bearer header still wins over the cookies', async () => {
    const a = await registered()
    const b = await registered()
    const res = await usersProfile({ ...bearer(a.token), Cookie: `__Host-token=${b.token}; __Host-token=${b.token}` })
    expect(res.status).toBe(200)
    expect(await userOf(res)).toBe(a.json.user._id)
  })
})

describe('GET /users/logout with the session cookie', () => {
  it.each(['same-site', 'cross-site'])(
    'answers 403 to Sec-Fetch-Site: %s without Origin (an <img> on a sibling site) and the session survives',
    async (site) => {
      const { token } = await registered()
      const res = await call('/users/logout', { headers: { ...cookie(token), 'Sec-Fetch-Site': site } })
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual(FORBIDDEN)
      expect(res.headers.get('Set-Cookie')).toBeNull()
      expect(await revoked(token)).toBeNull()
      expect((await usersProfile(cookie(token))).status).toBe(200)
    },
  )

  it.each([['same-origin'], ['none'], [undefined]])('logs out with Sec-Fetch-Site: %s', async (site) => {
    const { token } = await registered()
    const headers: Record<string, string> = { ...cookie(token) }
    if (site) headers['Sec-Fetch-Site'] = site
    const res = await call('/users/logout', { headers })
    expect(res.status).toBe(200)
    expect(await revoked(token)).not.toBeNull()
  })

  it('logs out a fetch from a listed origin (it sends Origin, which an <img> or a link cannot)', async () => {
    const { token } = await registered()
    const headers = { ...cookie(token), 'Sec-Fetch-Site': 'same-site', Origin: 'https://app.example.test' }
    expect((await call('/users/logout', { headers })).status).toBe(200)
  })

  it('with a Bearer token is not subject to Sec-Fetch-Site', async () => {
    const { token } = await registered()
    const res = await call('/users/logout', { headers: { ...bearer(token), 'Sec-Fetch-Site': 'same-site' } })
    expect(res.status).toBe(200)
  })

  it('POST /users/logout-all with the cookie and Sec-Fetch-Site: same-site but no Origin answers 403', async () => {
    const { token } = await registered()
    const res = await call('/users/logout-all', { method: 'POST', headers: { ...cookie(token), 'Sec-Fetch-Site': 'same-site' } })
    expect(res.status).toBe(403)
    expect((await usersProfile(cookie(token))).status).toBe(200)
  })
})

describe('HEAD never has a side effect', () => {
  it.each([
    ['cookie', cookie],
    ['Bearer', bearer],
  ])('HEAD /users/logout with a %s answers 405 with Allow, and the session survives', async (_, auth) => {
    const { token } = await registered()
    const res = await call('/users/logout', { method: 'HEAD', headers: auth(token) })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('GET, POST, OPTIONS')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(await revoked(token)).toBeNull()
    expect((await usersProfile(bearer(token))).status).toBe(200)
  })

  it('HEAD /users/profile answers like GET, without a body', async () => {
    const { token } = await registered()
    const res = await call('/users/profile', { method: 'HEAD', headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})

describe('POST /logout-all', () => {
  it.each(['/users', '/api/users'])('%s/logout-all ends every live session of the user at once', async (prefix) => {
    const { email, token: first, json } = await registered(prefix)
    const second = ((await (await send('POST', `${prefix}/login`, { email, password: PASSWORD })).json()) as Json).token
    const other = await registered(prefix)
    const res = await call(`${prefix}/logout-all`, { method: 'POST', headers: cookie(second) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Logged out from all sessions' })
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=;.*Max-Age=0/)
    for (const t of [first, second]) expect((await call(`${prefix}/profile`, { headers: bearer(t) })).status).toBe(401)
    expect((await userRow(json.user._id))?.token_version).toBe(1)
    // Another user is untouched, and a new login works.
    expect((await call(`${prefix}/profile`, { headers: bearer(other.token) })).status).toBe(200)
    const fresh = ((await (await send('POST', `${prefix}/login`, { email, password: PASSWORD })).json()) as Json).token
    expect((await call(`${prefix}/profile`, { headers: bearer(fresh) })).status).toBe(200)
  })

  it('answers 401 without a valid token', async () => {
    const res = await call('/users/logout-all', { method: 'POST' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })
})
