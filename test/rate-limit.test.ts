import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../src/auth/passwords'
import { type Json, PASSWORD, registered, send, uniqueEmail } from './helpers'

const verify = vi.spyOn(passwords, 'verify')
afterEach(() => verify.mockClear())

const TOO_MANY = { status: 429, message: 'Too many requests', code: 'RATE_LIMITED' }

describe('rate limits', () => {
  it('POST /users/login: the 11th request for one email in a minute (its registration counts) gets 429 with Retry-After, before bcrypt', async () => {
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
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`
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
    const res = await send('POST', '/users/register', { fullName: 'Other Client', email: uniqueEmail(), password: PASSWORD }, { 'CF-Connecting-IP': '198.51.100.7' })
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
