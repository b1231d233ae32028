// Issue 15, items 1 and 2: cookie tossing, and logout by a same-site request or a HEAD.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type Json, PASSWORD, bearer, call, claimsOf, cookie, registered, send } from './helpers'

const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const FORBIDDEN = { status: 403, message: 'Forbidden: origin not allowed', code: 'ORIGIN_NOT_ALLOWED' }
const profile = (headers: Record<string, string>) => call('/users/profile', { headers })
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
    const res = await profile({ Cookie: `__Host-token=${token}` })
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
    expect((await profile({ Cookie: `__Host-token=${a.token}` })).status).toBe(200)
    for (const cookies of [`__Host-token=${a.token}; __Host-token=${b.token}`, `__Host-token=${a.token}; __Host-token=${a.token}`]) {
      const res = await profile({ Cookie: cookies })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual(UNAUTHORIZED)
    }
  })

  it('POST /users/logout with two __Host-token cookies answers 401 and revokes neither', async () => {
    const a = await registered()
    const b = await registered()
    expect((await profile({ Cookie: `__Host-token=${a.token}` })).status).toBe(200)
    const res = await call('/users/logout', { method: 'POST', headers: { Cookie: `__Host-token=${a.token}; __Host-token=${b.token}` } })
    expect(res.status).toBe(401)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(await revoked(a.token)).toBeNull()
    expect(await revoked(b.token)).toBeNull()
  })

  it('a plain `token` cookie tossed from a sibling subdomain is ignored: the victim stays in their own account', async () => {
    const victim = await registered()
    const attacker = await registered()
    const res = await profile({ Cookie: `token=${attacker.token}; __Host-token=${victim.token}` })
    expect(res.status).toBe(200)
    expect(await userOf(res)).toBe(victim.json.user._id)
    // Alone, it is no session at all: after logout the victim is not signed into the attacker's account.
    expect((await profile({ Cookie: `token=${attacker.token}` })).status).toBe(401)
  })

  it('the Bearer header still wins over the cookies', async () => {
    const a = await registered()
    const b = await registered()
    const res = await profile({ ...bearer(a.token), Cookie: `__Host-token=${b.token}; __Host-token=${b.token}` })
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
      expect((await profile(cookie(token))).status).toBe(200)
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
    expect((await profile(cookie(token))).status).toBe(200)
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
    expect((await profile(bearer(token))).status).toBe(200)
  })

  it('HEAD /users/profile answers like GET, without a body', async () => {
    const { token } = await registered()
    const res = await call('/users/profile', { method: 'HEAD', headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})
