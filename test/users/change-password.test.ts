import { describe, expect, it } from 'vitest'
import { bearer, cookie, type Json, PREFIXES, send } from '../support/request'
import { PASSWORD, paths, registered, uniqueEmail, userRow } from '../support/users'

const NEW = 'a brand new passphrase'
const change = (prefix: string, body: unknown) => send('PATCH', `${prefix}/changePassword`, body)
const login = (email: string, password: string) => send('POST', '/users/login', { email, password })

describe.each(PREFIXES)('PATCH %s/changePassword', (prefix) => {
  it('answers 200 and the new password logs in while the old one does not', async () => {
    const { email } = await registered(prefix)
    const res = await change(prefix, { email, oldPassword: PASSWORD, newPassword: NEW })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ success: true, message: 'Password updated successfully' })
    expect((await login(email, NEW)).status).toBe(200)
    expect((await login(email, PASSWORD)).status).toBe(401)
  })

  it('ends every session issued before the change, and a token issued after works', async () => {
    const { email, token: first, json } = await registered(prefix)
    const second = ((await (await login(email, PASSWORD)).json()) as Json).token
    const before = await userRow(json.user._id)
    expect((await change(prefix, { email, oldPassword: PASSWORD, newPassword: NEW })).status).toBe(200)
    for (const t of [first, second]) {
      expect((await send('GET', `${prefix}/profile`, undefined, bearer(t))).status).toBe(401)
      expect((await send('GET', `${prefix}/profile`, undefined, cookie(t))).status).toBe(401)
    }
    const after = await userRow(json.user._id)
    expect(after?.token_version).toBe((before?.token_version ?? 0) + 1)
    expect(after?.password_hash).not.toBe(before?.password_hash)
    expect(after?.updated_at > before?.updated_at).toBe(true)
    const fresh = ((await (await login(email, NEW)).json()) as Json).token
    const profile = await send('GET', `${prefix}/profile`, undefined, bearer(fresh))
    expect(profile.status).toBe(200)
    expect(((await profile.json()) as Json).user.updatedAt).toBe(after?.updated_at)
  })

  it('answers the same 401 for an unknown email and a wrong old password, and changes nothing', async () => {
    const { email, json } = await registered(prefix)
    const before = await userRow(json.user._id)
    const wrong = await change(prefix, { email, oldPassword: 'not my password', newPassword: NEW })
    const unknown = await change(prefix, { email: uniqueEmail('ghost'), oldPassword: PASSWORD, newPassword: NEW })
    const body = { status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' }
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual(body)
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toEqual(body)
    expect(await userRow(json.user._id)).toEqual(before)
  })

  it('finds the user whatever the case of the email', async () => {
    const { email } = await registered(prefix)
    expect((await change(prefix, { email: email.toUpperCase(), oldPassword: PASSWORD, newPassword: NEW })).status).toBe(200)
  })
})

describe('PATCH /users/changePassword validation', () => {
  it.each([
    ['a newPassword equal to the old one', { oldPassword: PASSWORD, newPassword: PASSWORD }, ['newPassword'], /differ/],
    ['a newPassword under 8 characters', { oldPassword: PASSWORD, newPassword: 'short' }, ['newPassword'], /at least 8/],
    ['a newPassword over 72 bytes', { oldPassword: PASSWORD, newPassword: 'ü'.repeat(40) }, ['newPassword'], /72 bytes/],
    ['a missing newPassword', { oldPassword: PASSWORD }, ['newPassword'], /required/],
    ['a missing oldPassword', { newPassword: NEW }, ['oldPassword'], /required/],
    ['an empty oldPassword', { oldPassword: '', newPassword: NEW }, ['oldPassword'], /required/],
    ['an oldPassword over 72 bytes', { oldPassword: 'x'.repeat(73), newPassword: NEW }, ['oldPassword'], /72 bytes/],
  ])('answers 400 for %s and changes nothing', async (_, fields, expected, msg) => {
    const { email, json: reg } = await registered()
    const before = await userRow(reg.user._id)
    const res = await change('/users', { email, ...fields })
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.message).toBe('Validation failed')
    expect(paths(json)).toEqual(expected)
    expect(json.errors[0].msg).toMatch(msg)
    expect(await userRow(reg.user._id)).toEqual(before)
  })

  it('answers 400 for a missing or invalid email', async () => {
    for (const email of [undefined, 'nope']) {
      const res = await change('/users', { email, oldPassword: PASSWORD, newPassword: NEW })
      expect(res.status).toBe(400)
      expect(paths((await res.json()) as Json)).toEqual(['email'])
    }
  })

  it('needs no token: the old password proves identity', async () => {
    const { email } = await registered()
    const res = await send('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword: NEW })
    expect(res.status).toBe(200)
  })
})
