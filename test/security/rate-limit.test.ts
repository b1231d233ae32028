// Rate limits: one budget per email (10 a minute) shared by register, login, change password and
// account deletion, and one per client IP (100 a minute), where an IPv6 client counts by its /64
// (a client controls a whole /64).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { bearer, type Json, send, uniqueIp } from '../support/request'
import { freshWindow } from '../support/rate-limit'
import { PASSWORD, registered, uniqueEmail, userCount, userRow } from '../support/users'

beforeEach(freshWindow)
afterEach(() => vi.restoreAllMocks())

const TOO_MANY = { status: 429, message: 'Too many requests', code: 'RATE_LIMITED' }

describe('rate limits', () => {
  it('POST /users/login: the 11th request for one email in a minute (its registration counts) gets 429 with Retry-After, before bcrypt', async () => {
    const verify = vi.spyOn(passwords, 'verify')
    const { email } = await registered()
    for (let i = 0; i < 9; i++) {
      expect((await send('POST', '/users/login', { email, password: `wrong-${i}` })).status).toBe(401)
    }
    expect(verify).toHaveBeenCalledTimes(9)
    const res = await send('POST', '/users/login', { email, password: PASSWORD })
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    expect(await res.json()).toEqual(TOO_MANY)
    expect(verify).toHaveBeenCalledTimes(9) // no bcrypt work for the refused attempt
    // Counted per email: the same email in another case is the same key.
    expect((await send('POST', '/api/users/login', { email: email.toUpperCase(), password: PASSWORD })).status).toBe(429)
  })

  it('POST /users/login: another email still logs in while one is limited', async () => {
    const limited = await registered()
    const other = await registered()
    for (let i = 0; i < 11; i++) await send('POST', '/users/login', { email: limited.email, password: 'wrong password' })
    expect((await send('POST', '/users/login', { email: limited.email, password: PASSWORD })).status).toBe(429)
    expect((await send('POST', '/users/login', { email: other.email, password: PASSWORD })).status).toBe(200)
  })

  it('PATCH /users/changePassword: the 11th request for one email (its registration counts) gets 429 and changes nothing', async () => {
    const { email, token } = await registered()
    for (let i = 0; i < 9; i++) {
      const res = await send('PATCH', '/users/changePassword', { email, oldPassword: `wrong-${i}`, newPassword: 'new password 1' })
      expect(res.status).toBe(401)
    }
    const res = await send('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword: 'new password 1' })
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    expect(await res.json()).toEqual(TOO_MANY)
    // Nothing changed: a password change would have ended this session (and login is limited too).
    expect((await send('GET', '/users/profile', undefined, { Authorization: `Bearer ${token}` })).status).toBe(200)
  })

  it('register + login + changePassword share a limit of 100 per client IP', async () => {
    const ip = uniqueIp()
    const headers = { 'CF-Connecting-IP': ip }
    const routes = [
      ['POST', '/users/register'],
      ['POST', '/users/login'],
      ['PATCH', '/api/users/changePassword'],
    ] as const
    for (let i = 0; i < 100; i++) {
      const [method, path] = routes[i % 3]
      // Invalid bodies are cheap and still count: the IP limit comes before validation.
      expect((await send(method, path, {}, headers)).status).toBe(400)
    }
    for (const [method, path] of routes) {
      const res = await send(method, path, { email: uniqueEmail() }, headers)
      expect(res.status).toBe(429)
      expect(res.headers.get('Retry-After')).toBe('60')
      expect(await res.json()).toEqual(TOO_MANY)
    }
    // Another IP is not affected.
    const res = await send('POST', '/users/register', { fullName: 'Other Client', email: uniqueEmail(), password: PASSWORD }, { 'CF-Connecting-IP': uniqueIp() })
    expect(res.status).toBe(201)
  })

  it('does not limit profile reads', async () => {
    const { token } = await registered()
    const statuses = new Set<number>()
    for (let i = 0; i < 15; i++) {
      const res = await send('GET', '/users/profile', undefined, { Authorization: `Bearer ${token}` })
      statuses.add(res.status)
      ;(await res.json()) as Json
    }
    expect([...statuses]).toEqual([200])
  })
})

async function expectLimited(res: Response) {
  expect(res.status).toBe(429)
  expect(res.headers.get('Retry-After')).toBe('60')
  expect(await res.json()).toEqual(TOO_MANY)
}

const login = (email: string, password = 'wrong password') => send('POST', '/users/login', { email, password })
const change = (email: string, oldPassword = 'wrong password') =>
  send('PATCH', '/api/users/changePassword', { email, oldPassword, newPassword: 'new password 1' })
const register = (email: string) => send('POST', '/users/register', { fullName: 'Email Squatter', email, password: PASSWORD })

describe('the per-email budget', () => {
  it('POST /users/register: the 11th registration of one email in a minute gets 429, before any bcrypt work', async () => {
    const email = uniqueEmail()
    const hash = vi.spyOn(passwords, 'hash')
    expect((await register(email)).status).toBe(201)
    for (let i = 0; i < 9; i++) expect((await register(email)).status).toBe(409)
    expect(hash).toHaveBeenCalledTimes(10)
    await expectLimited(await register(email.toUpperCase()))
    expect(hash).toHaveBeenCalledTimes(10)
    expect(await userCount(email)).toBe(1)
  })

  it('POST /users/register of an email nobody has is limited the same way (squatting a free address)', async () => {
    const email = uniqueEmail('free')
    for (let i = 0; i < 10; i++) await login(email)
    await expectLimited(await register(email))
    expect(await userCount(email)).toBe(0)
  })

  it('login and change password share one budget: 5 + 5 attempts, then both answer 429', async () => {
    const { email } = await registered() // the registration counts as well: 1
    for (let i = 0; i < 5; i++) expect((await login(email)).status).toBe(401)
    for (let i = 0; i < 4; i++) expect((await change(email)).status).toBe(401)
    const verify = vi.spyOn(passwords, 'verify')
    await expectLimited(await login(email, PASSWORD))
    await expectLimited(await change(email, PASSWORD))
    expect(verify).not.toHaveBeenCalled()
  })

  it('the budget is keyed on the normalised email: case and surrounding spaces are the same address', async () => {
    const { email } = await registered()
    for (let i = 0; i < 9; i++) await login(i % 2 ? email.toUpperCase() : `  ${email} `)
    await expectLimited(await change(email.toUpperCase(), PASSWORD))
  })

  it('another email is not affected while one is limited', async () => {
    const limited = await registered()
    const other = await registered()
    for (let i = 0; i < 10; i++) await login(limited.email)
    await expectLimited(await login(limited.email, PASSWORD))
    expect((await login(other.email, PASSWORD)).status).toBe(200)
    expect((await register(uniqueEmail())).status).toBe(201)
  })

  it('DELETE /users/profile spends the same budget: after 9 wrong logins the second delete attempt gets 429 and nothing is deleted', async () => {
    const { email, token, json } = await registered() // 1
    for (let i = 0; i < 8; i++) expect((await login(email)).status).toBe(401) // 9
    const del = (password: string) => send('DELETE', '/users/profile', { password }, bearer(token))
    expect((await del('wrong password')).status).toBe(401) // 10
    const verify = vi.spyOn(passwords, 'verify')
    await expectLimited(await del(PASSWORD))
    expect(verify).not.toHaveBeenCalled()
    expect(await userRow(json.user._id)).not.toBeNull()
  })
})

const hex = () => Math.floor(Math.random() * 0xffff).toString(16)

/** 100 cheap requests (invalid bodies: the IP limit comes before validation) from `ips`, in turn. */
async function spend(ips: string[]) {
  for (let i = 0; i < 100; i++) {
    expect((await send('POST', '/users/login', {}, { 'CF-Connecting-IP': ips[i % ips.length] })).status).toBe(400)
  }
}

const attempt = (ip: string) => send('POST', '/users/login', { email: uniqueEmail(), password: 'x' }, { 'CF-Connecting-IP': ip })

describe('the per-IP limit', () => {
  it('counts every address of one IPv6 /64 together: the 101st request from the /64 gets 429', async () => {
    const prefix = `2001:db8:${hex()}:${hex()}`
    await spend(Array.from({ length: 100 }, (_, i) => `${prefix}:${hex()}:${hex()}:${hex()}:${i.toString(16)}`))
    const res = await attempt(`${prefix}::1`)
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    // The same /64 written in full, with leading zeros and in capitals, is the same key.
    const [, , a, b] = prefix.split(':')
    expect((await attempt(`2001:0DB8:${a.padStart(4, '0').toUpperCase()}:${b.padStart(4, '0')}:0:0:0:2`)).status).toBe(429)
  })

  it('another /64 (even the neighbouring one) is not affected', async () => {
    const a = hex()
    const b = parseInt(hex(), 16) & 0xfffe
    await spend([`2001:db8:${a}:${b.toString(16)}::1`])
    expect((await attempt(`2001:db8:${a}:${b.toString(16)}::2`)).status).toBe(429)
    expect((await attempt(`2001:db8:${a}:${(b + 1).toString(16)}::1`)).status).toBe(401)
  })

  it('keeps IPv4 per address, and an IPv4-mapped IPv6 address counts as its IPv4', async () => {
    const v4 = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
    await spend([v4, `::ffff:${v4}`])
    expect((await attempt(v4)).status).toBe(429)
    expect((await attempt(`::FFFF:${v4}`)).status).toBe(429)
    const [x, y, z, w] = v4.split('.').map(Number)
    expect((await attempt(`${x}.${y}.${z}.${(w + 1) % 256}`)).status).toBe(401)
  })
})
