// Issue 15, item 7: a missing binding is a configuration error, never a silently disabled defence.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PASSWORD, bearer, callWith, jsonInit, registered, uniqueEmail } from './helpers'

let log: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  log = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())

const logged = () => log.mock.calls.flat().map(String).join(' ')
const INTERNAL = { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }
// A request from the internet: Cloudflare sets CF-Connecting-IP, so the per-IP limit applies.
const fromInternet = { 'CF-Connecting-IP': '203.0.113.77' }

const requests = {
  register: () => jsonInit('POST', { fullName: 'John Doe', email: uniqueEmail(), password: PASSWORD }, fromInternet),
  login: () => jsonInit('POST', { email: uniqueEmail(), password: PASSWORD }, fromInternet),
  changePassword: () => jsonInit('PATCH', { email: uniqueEmail(), oldPassword: PASSWORD, newPassword: 'new password 1' }, fromInternet),
}

describe.each(['DB', 'BLACKLIST', 'IP_LIMITER', 'EMAIL_LIMITER', 'LIFECYCLE_LIMITER', 'EMAIL'])('without the %s binding', (name) => {
  it.each(Object.keys(requests) as (keyof typeof requests)[])('POST/PATCH /users/%s answers 500 and the log names the binding', async (route) => {
    const res = await callWith({ [name]: undefined }, `/users/${route}`, requests[route]())
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual(INTERNAL)
    expect(logged()).toMatch(new RegExp(`Invalid configuration: .*\\b${name}\\b binding is missing`))
  })

  it('GET /users/profile answers 500 (a token is never accepted unchecked), and the log names it', async () => {
    const { token } = await registered()
    const res = await callWith({ [name]: undefined }, '/users/profile', { headers: bearer(token) })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual(INTERNAL)
    expect(logged()).toMatch(new RegExp(`\\b${name}\\b binding is missing`))
  })
})

describe('bindings that exist', () => {
  it('without D1, GET /openapi.json (which needs none) still answers 200: no "weak map key" crash', async () => {
    const res = await callWith({ DB: undefined }, '/openapi.json')
    expect(res.status).toBe(200)
    expect(logged()).not.toMatch(/weak map/)
  })

  it('a rate limiter that exists but fails lets the request through, and the failure is logged', async () => {
    const failing = { limit: () => Promise.reject(new Error('rate limiter unreachable')) }
    const res = await callWith({ IP_LIMITER: failing, EMAIL_LIMITER: failing }, '/users/login', requests.login())
    expect(res.status).toBe(401)
    expect(logged()).toMatch(/Rate limiter unavailable; request allowed/)
  })
})
