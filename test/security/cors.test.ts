// CORS: only the listed origins (CORS_ORIGINS, checked when read) get credentialed answers and
// preflights, on every route, the account routes included.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BASE, bearer, call, callWith, cookie } from '../support/request'
import { PASSWORD, registered, uniqueEmail } from '../support/users'

// vitest.config.ts lists these two origins in CORS_ORIGINS.
const ALLOWED = 'https://app.example.test'
const FOREIGN = 'https://evil.example.net'

const preflight = (origin: string, method = 'POST') =>
  call('/users/login', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type' },
  })

describe('CORS', () => {
  it('answers a preflight from a listed origin with an exact grant and credentials', async () => {
    const res = await preflight(ALLOWED)
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PATCH')
    expect(res.headers.get('Access-Control-Allow-Headers')).toMatch(/Content-Type/i)
    expect(res.headers.get('Vary')).toMatch(/Origin/)
  })

  it('gives a foreign origin no CORS grant at all', async () => {
    const res = await preflight(FOREIGN)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull()
    const get = await call('/users/profile', { headers: { Origin: FOREIGN } })
    expect(get.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(get.headers.get('Access-Control-Allow-Credentials')).toBeNull()
  })

  it('grants a listed origin on real requests, never with *', async () => {
    const res = await call('/users/login', {
      method: 'POST',
      headers: { Origin: 'https://admin.example.test', 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://admin.example.test')
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    for (const r of [res, await preflight(ALLOWED), await preflight(FOREIGN)]) {
      expect(r.headers.get('Access-Control-Allow-Origin')).not.toBe('*')
    }
  })

  it('a cookie logout from a foreign Origin gets 403 and the session survives', async () => {
    const { token } = await registered()
    for (const method of ['POST', 'GET']) {
      const res = await call('/users/logout', { method, headers: { ...cookie(token), Origin: FOREIGN } })
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual({ status: 403, message: 'Forbidden: origin not allowed', code: 'ORIGIN_NOT_ALLOWED' })
    }
    const logoutAll = await call('/users/logout-all', { method: 'POST', headers: { ...cookie(token), Origin: FOREIGN } })
    expect(logoutAll.status).toBe(403)
    expect((await call('/users/profile', { headers: cookie(token) })).status).toBe(200)
  })

  it('a cross-site navigation to logout (no Origin, Sec-Fetch-Site: cross-site) gets 403', async () => {
    const { token } = await registered()
    const res = await call('/users/logout', { headers: { ...cookie(token), 'Sec-Fetch-Site': 'cross-site' } })
    expect(res.status).toBe(403)
  })

  it('a cookie logout from a listed origin or the same origin works', async () => {
    for (const origin of [ALLOWED, new URL(BASE).origin]) {
      const { token } = await registered()
      const res = await call('/users/logout', { method: 'POST', headers: { ...cookie(token), Origin: origin } })
      expect(res.status).toBe(200)
    }
  })

  it('a logout with no credential from a foreign Origin is a plain 401, not a 403', async () => {
    for (const headers of [{ Origin: FOREIGN }, { 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
      for (const method of ['GET', 'POST']) {
        const res = await call('/users/logout', { method, headers })
        expect(res.status).toBe(401)
        expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
      }
      expect((await call('/users/logout-all', { method: 'POST', headers })).status).toBe(401)
    }
  })

  it('a listed origin may read Retry-After and X-Request-Id (exposed), a foreign one gets no CORS headers', async () => {
    const allowed = await call('/users/profile', { headers: { Origin: ALLOWED } })
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After, X-Request-Id')
    const foreign = await call('/users/profile', { headers: { Origin: FOREIGN } })
    expect(foreign.headers.get('Access-Control-Expose-Headers')).toBeNull()
  })

  it('a Bearer logout is not subject to the Origin check', async () => {
    const { token } = await registered()
    const res = await call('/users/logout', { method: 'POST', headers: { ...bearer(token), Origin: FOREIGN } })
    expect(res.status).toBe(200)
  })
})

afterEach(() => vi.restoreAllMocks())

describe('CORS_ORIGINS is checked', () => {
  it.each([
    ['localhost:3000', /"localhost:3000" is not an origin/],
    ['http://localhost:3000, https://app.example.com/login', /"https:\/\/app.example.com\/login" is not an origin.*did you mean "https:\/\/app.example.com"/],
    ['http://localhost:3000junk', /"http:\/\/localhost:3000junk" is not an origin/],
    ['*', /"\*" is not an origin/],
    ['https://App.Example.com', /did you mean "https:\/\/app.example.com"/],
  ])('CORS_ORIGINS=%s: every request answers 500 and the log names the entry', async (value, logged) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const [path, init] of [
      ['/health', {}],
      ['/users/login', { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } }],
    ] as const) {
      const res = await callWith({ CORS_ORIGINS: value }, path, init)
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' })
    }
    expect(log.mock.calls.flat().join(' ')).toMatch(logged)
  })

  it('the usual local front-end origins (and a trailing slash) are accepted and granted', async () => {
    const value = 'http://localhost:5173, http://127.0.0.1:5173/, http://localhost:3000'
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:3000']) {
      const res = await callWith({ CORS_ORIGINS: value }, '/health', { headers: { Origin: origin } })
      expect(res.status).toBe(200)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    }
  })

  it('an empty CORS_ORIGINS is valid: same-origin only', async () => {
    const res = await callWith({ CORS_ORIGINS: '' }, '/health', { headers: { Origin: 'http://localhost:5173' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})

describe('CORS for the account routes', () => {
  it('a preflight from a listed origin allows DELETE and PATCH', async () => {
    const res = await call('/users/profile', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.test', 'Access-Control-Request-Method': 'DELETE', 'Access-Control-Request-Headers': 'content-type' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Methods')).toMatch(/\bDELETE\b/)
    expect(res.headers.get('Access-Control-Allow-Methods')).toMatch(/\bPATCH\b/)
  })
})
