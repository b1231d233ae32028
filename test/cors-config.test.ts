import { afterEach, describe, expect, it, vi } from 'vitest'
import { callWith } from './helpers'

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
