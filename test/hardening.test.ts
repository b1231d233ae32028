import { env } from 'cloudflare:workers'
import { getRounds } from 'bcrypt-ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Json, PASSWORD, bearer, call, callWith, cookie, jsonInit, registered, send, uniqueEmail, userRow } from './helpers'

const register = (email = uniqueEmail(), password = PASSWORD) =>
  jsonInit('POST', { fullName: 'John Doe', email, password })

afterEach(() => vi.restoreAllMocks())

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

describe('bcrypt cost', () => {
  it.each(['4', '9', '15'])('BCRYPT_COST=%s outside tests fails closed with a clear log', async (cost) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await callWith({ ENVIRONMENT: undefined, BCRYPT_COST: cost }, '/users/register', register())
    expect(res.status).toBe(500)
    expect(log.mock.calls.flat().join(' ')).toMatch(/BCRYPT_COST must be between 10 and 14/)
  })

  it('a login with a hash made at another cost upgrades the hash in place and keeps sessions', async () => {
    const { email, token, json } = await registered() // hashed at the test cost, 4
    expect(getRounds((await userRow(json.user._id))?.password_hash)).toBe(4)
    const res = await callWith({ BCRYPT_COST: '5' }, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(res.status).toBe(200)
    const row = await userRow(json.user._id)
    expect(getRounds(row?.password_hash)).toBe(5)
    expect(row?.token_version).toBe(0)
    expect((await call('/users/profile', { headers: bearer(token) })).status).toBe(200)
    // The upgraded hash still verifies the same password.
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
  })

  it('a login at the configured cost leaves the hash alone', async () => {
    const { email, json } = await registered()
    const before = (await userRow(json.user._id))?.password_hash
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
    expect((await userRow(json.user._id))?.password_hash).toBe(before)
  })
})

describe('PASSWORD_BLOCKLIST', () => {
  const common = 'password1' // in the top 10,000, and long enough for the length rule

  it('is off by default: a common password registers', async () => {
    expect(env.PASSWORD_BLOCKLIST).toBe('off')
    expect((await call('/users/register', register(uniqueEmail(), common))).status).toBe(201)
  })

  it('"common" rejects a common password at register with a 400 on the field, writing nothing', async () => {
    const email = uniqueEmail()
    const res = await callWith({ PASSWORD_BLOCKLIST: 'common' }, '/users/register', register(email, 'PassWord1'))
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.message).toBe('Validation failed')
    expect(json.errors).toEqual([{ msg: expect.stringMatching(/too common/), param: 'password', path: 'password', location: 'body' }])
    expect((await send('POST', '/users/login', { email, password: 'PassWord1' })).status).toBe(401)
  })

  it('"common" rejects a common newPassword at change password', async () => {
    const { email } = await registered()
    const res = await callWith(
      { PASSWORD_BLOCKLIST: 'common' },
      '/users/changePassword',
      jsonInit('PATCH', { email, oldPassword: PASSWORD, newPassword: common }),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors[0].path).toBe('newPassword')
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
  })

  it('"common" lets an uncommon password through', async () => {
    const res = await callWith({ PASSWORD_BLOCKLIST: 'common' }, '/users/register', register(uniqueEmail(), 'plum-kettle-orbit-77'))
    expect(res.status).toBe(201)
  })
})
