// What a client gets, and what is logged, when D1 or KV fails, on an unexpected error, and when a
// binding is missing: a configuration error (500), never a silently disabled defence.
import { env } from 'cloudflare:workers'
import { getRounds } from 'bcrypt-ts'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { bearer, call, callWith, jsonInit, send, uniqueIp } from '../support/request'
import { claimsOf, PASSWORD, registered, uniqueEmail, userCount, userRow } from '../support/users'

const outage = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))

/** A KV namespace that cannot be read or written, as during a KV outage. */
const brokenKv = {
  get: () => Promise.reject(new Error('KV GET failed: 503 Service Unavailable')),
  put: () => Promise.reject(new Error('KV PUT failed: 503 Service Unavailable')),
} as unknown as KVNamespace

type Stmt = { bind: (...args: unknown[]) => Stmt; first: typeof outage; run: typeof outage; all: typeof outage; raw: typeof outage }
const failingStatement = (): Stmt => ({ bind: () => failingStatement(), first: outage, run: outage, all: outage, raw: outage })

/** The real local D1, except that statements matching `fails` fail like a dropped connection. */
const d1FailingOn = (fails: RegExp) =>
  ({
    prepare: (sql: string) => (fails.test(sql) ? failingStatement() : env.DB.prepare(sql)),
    batch: outage,
    exec: outage,
  }) as unknown as D1Database

const UNAVAILABLE_DB = { status: 503, message: 'Database unavailable', code: 'DATABASE_UNAVAILABLE' }

let log: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  log = vi.spyOn(console, 'error').mockImplementation(() => {})
})

/** Everything written to the error log, errors with their messages, causes and stacks. */
const logged = () =>
  JSON.stringify(log.mock.calls, (_, v) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: v.cause } : v))
afterEach(() => vi.restoreAllMocks())

describe('when KV fails', () => {
  it('a token is refused with 503, never accepted unchecked', async () => {
    const { token } = await registered()
    const res = await callWith({ BLACKLIST: brokenKv }, '/users/profile', { headers: bearer(token) })
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 503, message: 'Service temporarily unavailable', code: 'SERVICE_UNAVAILABLE' })
  })

  it('a revoked token does not pass while KV is down', async () => {
    const { token } = await registered()
    expect((await call('/users/logout', { method: 'POST', headers: bearer(token) })).status).toBe(200)
    const res = await callWith({ BLACKLIST: brokenKv }, '/users/profile', { headers: bearer(token) })
    expect(res.status).toBe(503)
  })

  it('logout answers 503 and does not clear the cookie when the revocation cannot be written', async () => {
    const { token } = await registered()
    const res = await callWith({ BLACKLIST: brokenKv }, '/users/logout', { method: 'POST', headers: bearer(token) })
    expect(res.status).toBe(503)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(await env.BLACKLIST.get(`revoked:${claimsOf(token).jti}`)).toBeNull()
  })

  it('login does not touch KV', async () => {
    const { email } = await registered()
    const res = await callWith({ BLACKLIST: brokenKv }, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(res.status).toBe(200)
  })
})

describe('when D1 fails', () => {
  const everything = d1FailingOn(/./)

  it.each([
    ['register', '/users/register', () => jsonInit('POST', { fullName: 'John Doe', email: uniqueEmail(), password: PASSWORD })],
    ['login', '/users/login', () => jsonInit('POST', { email: uniqueEmail(), password: PASSWORD })],
    ['changePassword', '/users/changePassword', () => jsonInit('PATCH', { email: uniqueEmail(), oldPassword: PASSWORD, newPassword: 'new password 1' })],
  ])('%s answers 503 JSON', async (_, path, init) => {
    const res = await callWith({ DB: everything }, path, init())
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual(UNAVAILABLE_DB)
  })

  it('profile answers 503 JSON and a token is not accepted unchecked', async () => {
    const { token } = await registered()
    const res = await callWith({ DB: everything }, '/users/profile', { headers: bearer(token) })
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual(UNAVAILABLE_DB)
  })

  it('a failed register insert leaves no user behind', async () => {
    const email = uniqueEmail()
    const init = jsonInit('POST', { fullName: 'John Doe', email, password: PASSWORD })
    const res = await callWith({ DB: d1FailingOn(/^insert/i) }, '/users/register', init)
    expect(res.status).toBe(503)
    expect(await userCount(email)).toBe(0)
  })

  it('a failed password update leaves the old password and the sessions as they were', async () => {
    const { email, token, json } = await registered()
    const before = await userRow(json.user._id)
    const init = jsonInit('PATCH', { email, oldPassword: PASSWORD, newPassword: 'new password 1' })
    const res = await callWith({ DB: d1FailingOn(/^update/i) }, '/users/changePassword', init)
    expect(res.status).toBe(503)
    expect(await userRow(json.user._id)).toEqual(before)
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
    expect((await call('/users/profile', { headers: bearer(token) })).status).toBe(200)
  })

  it('logout-all answers 503 when the version cannot be bumped, and sessions stay as they were', async () => {
    const { token } = await registered()
    const res = await callWith({ DB: d1FailingOn(/^update/i) }, '/users/logout-all', { method: 'POST', headers: bearer(token) })
    expect(res.status).toBe(503)
    expect((await call('/users/profile', { headers: bearer(token) })).status).toBe(200)
  })

  it('a failed write logs the query and the D1 error, never the hash, the email or the name', async () => {
    const email = uniqueEmail('private')
    const register = jsonInit('POST', { fullName: 'Secretive Person', email, password: PASSWORD })
    expect((await callWith({ DB: d1FailingOn(/^insert/i) }, '/users/register', register)).status).toBe(503)
    const { email: existing } = await registered()
    const change = jsonInit('PATCH', { email: existing, oldPassword: PASSWORD, newPassword: 'new password 1' })
    expect((await callWith({ DB: d1FailingOn(/^update/i) }, '/users/changePassword', change)).status).toBe(503)
    const text = logged()
    expect(text).toMatch(/insert into .*users/)
    expect(text).toMatch(/Network connection lost/)
    expect(text).not.toMatch(/\$2[aby]\$/)
    expect(text).not.toContain(email)
    expect(text).not.toContain('Secretive')
  })

  it('login still succeeds when the optional hash upgrade cannot be written', async () => {
    const { email, json } = await registered()
    const init = jsonInit('POST', { email, password: PASSWORD })
    // The stored hash is at cost 4; at cost 5 the login tries to upgrade it, and that write fails.
    const res = await callWith({ DB: d1FailingOn(/^update/i), BCRYPT_COST: '5' }, '/users/login', init)
    expect(res.status).toBe(200)
    expect(getRounds((await userRow(json.user._id))!.password_hash as string)).toBe(4)
    expect(logged()).toMatch(/hash upgrade failed/i)
  })
})

describe('an unexpected error', () => {
  it('is a 500 JSON with no detail in the body, and is logged with its stack', async () => {
    vi.spyOn(passwords, 'hash').mockRejectedValueOnce(new Error('bcrypt exploded at src/secret.ts:42'))
    const res = await send('POST', '/users/register', { fullName: 'John Doe', email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(500)
    expect(await res.text()).toBe(JSON.stringify({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }))
    expect(logged()).toMatch(/bcrypt exploded/)
  })
})

/** The error log as plain text, one space between arguments. */
const loggedText = () => log.mock.calls.flat().map(String).join(' ')
const INTERNAL = { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }
// A request from the internet: Cloudflare sets CF-Connecting-IP, so the per-IP limit applies.
const fromInternet = { 'CF-Connecting-IP': uniqueIp() }

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
    expect(loggedText()).toMatch(new RegExp(`Invalid configuration: .*\\b${name}\\b binding is missing`))
  })

  it('GET /users/profile answers 500 (a token is never accepted unchecked), and the log names it', async () => {
    const { token } = await registered()
    const res = await callWith({ [name]: undefined }, '/users/profile', { headers: bearer(token) })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual(INTERNAL)
    expect(loggedText()).toMatch(new RegExp(`\\b${name}\\b binding is missing`))
  })
})

describe('bindings that exist', () => {
  it('without D1, GET /openapi.json (which needs none) still answers 200: no "weak map key" crash', async () => {
    const res = await callWith({ DB: undefined }, '/openapi.json')
    expect(res.status).toBe(200)
    expect(loggedText()).not.toMatch(/weak map/)
  })

  it('a rate limiter that exists but fails lets the request through, and the failure is logged', async () => {
    const failing = { limit: () => Promise.reject(new Error('rate limiter unreachable')) }
    const res = await callWith({ IP_LIMITER: failing, EMAIL_LIMITER: failing }, '/users/login', requests.login())
    expect(res.status).toBe(401)
    expect(loggedText()).toMatch(/Rate limiter unavailable; request allowed/)
  })
})
