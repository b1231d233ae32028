// Issue 15, item 5: one per-email budget (10 per 60 s) shared by register, login and change password.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../src/auth/passwords'
import { PASSWORD, bearer, registered, send, uniqueEmail, userCount, userRow } from './helpers'

afterEach(() => vi.restoreAllMocks())

const TOO_MANY = { status: 429, message: 'Too many requests', code: 'RATE_LIMITED' }

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
