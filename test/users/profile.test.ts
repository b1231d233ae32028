import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { mailbox } from '../support/mailbox'
import { freshWindow } from '../support/rate-limit'
import { BASE, bearer, call, cookie, type Json, jsonInit, PREFIXES, send } from '../support/request'
import { claimsOf, PASSWORD, registered, userCount, userRow } from '../support/users'

const FOREIGN = 'https://evil.example.net'
const patch = (prefix: string, body: unknown, headers: Record<string, string>) => call(`${prefix}/profile`, jsonInit('PATCH', body, headers))
const remove = (prefix: string, body: unknown, headers: Record<string, string>) => call(`${prefix}/profile`, jsonInit('DELETE', body, headers))

describe.each(PREFIXES)('PATCH /profile under %s', (prefix) => {
  it.each([
    ['fullName object', { fullName: { firstName: 'Grace', lastName: 'Hopper' } }, { firstName: 'Grace', lastName: 'Hopper' }],
    ['legacy fullname', { fullname: { firstname: 'Grace', lastname: 'Hopper' } }, { firstName: 'Grace', lastName: 'Hopper' }],
    ['fullName string', { fullName: '  Grace Brewster Hopper ' }, { firstName: 'Grace', lastName: 'Brewster Hopper' }],
    ['no last name', { fullName: { firstName: 'Grace', lastName: null } }, { firstName: 'Grace', lastName: null }],
  ])('answers 200 { user } renamed, with the name as a %s', async (_shape, body, fullName) => {
    const { token, json: reg } = await registered(prefix)
    const res = await patch(prefix, body, bearer(token))
    expect(res.status).toBe(200)
    const { user } = (await res.json()) as Json
    expect(user).toEqual({ ...reg.user, fullName, updatedAt: expect.any(String) })
    expect(user.updatedAt >= reg.user.updatedAt).toBe(true)
    // The state afterwards: the profile shows it, the session is the same.
    expect(await (await call(`${prefix}/profile`, { headers: bearer(token) })).json()).toEqual({ user })
  })

  it('answers 200 with the session cookie from the API’s own origin', async () => {
    const { token } = await registered(prefix)
    const res = await patch(prefix, { fullName: 'Grace Hopper' }, { ...cookie(token), Origin: new URL(BASE).origin })
    expect(res.status).toBe(200)
  })

  it('answers 400 naming the canonical path, and changes nothing', async () => {
    const { token, json: reg } = await registered(prefix)
    for (const [body, path] of [
      [{ fullname: { firstname: 'Gr' } }, 'fullName.firstName'],
      [{ fullName: { firstName: 'Grace', lastName: 'Ho' } }, 'fullName.lastName'],
      [{}, 'fullName'],
    ] as const) {
      const res = await patch(prefix, body, bearer(token))
      expect(res.status).toBe(400)
      expect(((await res.json()) as Json).errors.map((e: Json) => e.path)).toEqual([path])
    }
    expect((await userRow(reg.user._id))?.first_name).toBe('John')
  })

  it('answers 401 without a token, 403 for the cookie from a foreign origin, 415 for a form body', async () => {
    const { token, json: reg } = await registered(prefix)
    expect((await patch(prefix, { fullName: 'Grace Hopper' }, {})).status).toBe(401)
    const foreign = await patch(prefix, { fullName: 'Grace Hopper' }, { ...cookie(token), Origin: FOREIGN })
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toEqual({ status: 403, message: 'Forbidden: origin not allowed', code: 'ORIGIN_NOT_ALLOWED' })
    const form = await call(`${prefix}/profile`, {
      method: 'PATCH',
      headers: { ...cookie(token), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'fullName=Grace+Hopper',
    })
    expect(form.status).toBe(415)
    expect((await userRow(reg.user._id))?.first_name).toBe('John')
  })
})

describe.each(PREFIXES)('DELETE /profile under %s', (prefix) => {
  beforeEach(freshWindow)

  it('answers 200 { message }, deletes the row, refuses every token, clears the cookie; the email registers again', async () => {
    const { token, email, json: reg } = await registered(prefix)
    const other = ((await (await send('POST', `${prefix}/login`, { email, password: PASSWORD })).json()) as Json).token
    const res = await remove(prefix, { password: PASSWORD }, cookie(token))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Account deleted' })
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=;.*Max-Age=0/)
    expect(await userRow(reg.user._id)).toBeNull()
    for (const headers of [bearer(token), cookie(token), bearer(other)]) {
      expect((await call(`${prefix}/profile`, { headers })).status).toBe(401)
    }
    // This token is revoked as well.
    expect(await env.BLACKLIST.get(`revoked:${claimsOf(token).jti}`)).toBe('1')
    expect((await send('POST', `${prefix}/login`, { email, password: PASSWORD })).status).toBe(401)
    const again = await send('POST', `${prefix}/register`, { fullName: 'John Doe', email, password: PASSWORD })
    expect(again.status).toBe(201)
    expect(((await again.json()) as Json).user._id).not.toBe(reg.user._id)
    expect(await userCount(email)).toBe(1)
  })

  it('answers 401 { Invalid password } for a wrong password and deletes nothing', async () => {
    const { token, json: reg } = await registered(prefix)
    const res = await remove(prefix, { password: 'not the password' }, bearer(token))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' })
    expect(await userRow(reg.user._id)).not.toBeNull()
    expect((await call(`${prefix}/profile`, { headers: bearer(token) })).status).toBe(200)
  })

  it('answers 400 naming the field without a password, 401 without a token, 403 for the cookie from a foreign origin', async () => {
    const { token, json: reg } = await registered(prefix)
    const missing = await remove(prefix, {}, bearer(token))
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as Json).errors.map((e: Json) => e.path)).toEqual(['password'])
    expect((await remove(prefix, { password: PASSWORD }, {})).status).toBe(401)
    expect((await remove(prefix, { password: PASSWORD }, { ...cookie(token), Origin: FOREIGN })).status).toBe(403)
    expect(await userRow(reg.user._id)).not.toBeNull()
  })

  it('answers 429 after 5 password attempts in a minute, before checking the password', async () => {
    const { token, json: reg } = await registered(prefix)
    for (let i = 0; i < 5; i++) expect((await remove(prefix, { password: 'wrong password' }, bearer(token))).status).toBe(401)
    const res = await remove(prefix, { password: PASSWORD }, bearer(token))
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    expect(await userRow(reg.user._id)).not.toBeNull()
  })
})

describe('a deleted account', () => {
  it('gets no email from forgot-password, and the verification link sent before is dead', async () => {
    const box = mailbox()
    const email = `gone-${crypto.randomUUID()}@example.com`
    const reg = (await (await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })).json()) as Json
    const link = box.token(email, 'verify')
    expect((await box.call('/users/profile', jsonInit('DELETE', { password: PASSWORD }, bearer(reg.token)))).status).toBe(200)
    await box.send('POST', '/users/forgot-password', { email })
    expect(box.to(email)).toHaveLength(1)
    expect((await box.send('POST', '/users/verify-email', { token: link })).status).toBe(400)
  })
})
