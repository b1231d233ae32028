// Seed document 004, served as the `msg` dialect: its examples are the fixtures.
import { describe, expect, it } from 'vitest'
import { bearer } from './helpers'
import { clientOf, DATE, emailLike, ID, JWT, MODES } from './compat.helpers'

const USER = (email: string) => ({
  _id: ID,
  fullName: { firstName: 'John', lastName: 'Doe' },
  email,
  socketId: null,
  createdAt: DATE,
  updatedAt: DATE,
})

describe.each(MODES)('msg dialect (document 004) through %s', (mode) => {
  const api = clientOf('msg', mode)
  const signUp = async () => {
    const email = emailLike('john@example.com')
    const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: 'password123' }
    return { email, res: await api('POST', '/users/register', body) }
  }

  it('POST /users/register answers 201 { user, token }', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ user: USER(email), token: JWT })
  })

  it('POST /users/register answers 400 { msg, errors: [{ msg, path, ... }] }', async () => {
    const res = await api('POST', '/users/register', { fullName: { firstName: 'Jo' }, email: emailLike('jo@example.com'), password: 'password123' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      msg: 'First name must be at least 3 characters',
      errors: [
        { msg: 'First name must be at least 3 characters', path: 'fullName.firstName', param: 'fullName.firstName', location: 'body' },
      ],
    })
  })

  it('POST /users/register answers 400 { msg: "User already exists" } for an email that exists', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/users/register', { fullName: 'John Doe', email, password: 'password123' })
    expect([res.status, res.body]).toEqual([400, { msg: 'User already exists' }])
  })

  it('POST /users/login answers 200 { msg: "User login successful", user, token }', async () => {
    const { email, res: reg } = await signUp()
    const res = await api('POST', '/users/login', { email, password: 'password123' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ msg: 'User login successful', user: reg.body.user, token: JWT })
  })

  it('POST /users/login answers 400 { msg, errors: [{ msg, param, location, ... }] }', async () => {
    const res = await api('POST', '/users/login', { email: 'john', password: '' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      msg: 'Email must be a valid email address',
      errors: [
        { msg: 'Email must be a valid email address', param: 'email', path: 'email', location: 'body' },
        { msg: 'Password is required', param: 'password', path: 'password', location: 'body' },
      ],
    })
  })

  it('POST /users/login answers 401 { msg: "Invalid email or password" }', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/users/login', { email, password: 'wrong password' })
    expect([res.status, res.body]).toEqual([401, { msg: 'Invalid email or password' }])
  })

  it('PATCH /users/changePassword answers 200 { success: true, msg }, and the new password logs in', async () => {
    const { email } = await signUp()
    const res = await api('PATCH', '/users/changePassword', { email, oldPassword: 'password123', newPassword: 'password456' })
    expect([res.status, res.body]).toEqual([200, { success: true, msg: 'Password updated successfully' }])
    expect((await api('POST', '/users/login', { email, password: 'password456' })).status).toBe(200)
  })

  it('PATCH /users/changePassword answers 401 { error } alike for an unknown email and a wrong old password', async () => {
    const { email } = await signUp()
    const unknown = await api('PATCH', '/users/changePassword', { email: emailLike('nobody@example.com'), oldPassword: 'password123', newPassword: 'password456' })
    const wrong = await api('PATCH', '/users/changePassword', { email, oldPassword: 'password000', newPassword: 'password456' })
    expect([unknown.status, unknown.body]).toEqual([401, { error: 'Invalid email or password' }])
    expect([wrong.status, wrong.body]).toEqual([401, { error: 'Invalid email or password' }])
  })

  // Routes 004 does not show, in its conventions (msg, the same user).
  it('GET /users/profile answers 200 { user }; GET /users/logout 200 { msg }; then 401 { msg: "Unauthorized" }', async () => {
    const { email, res: reg } = await signUp()
    const profile = await api('GET', '/users/profile', undefined, bearer(reg.body.token))
    expect([profile.status, profile.body]).toEqual([200, { user: USER(email) }])
    const out = await api('GET', '/users/logout', undefined, bearer(reg.body.token))
    expect([out.status, out.body]).toEqual([200, { msg: 'Logged out successfully' }])
    const after = await api('GET', '/users/profile', undefined, bearer(reg.body.token))
    expect([after.status, after.body]).toEqual([401, { msg: 'Unauthorized' }])
  })
})
