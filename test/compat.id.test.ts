// Seed document 001, served as the `id` dialect under /api/users: its examples are the fixtures.
import { describe, expect, it } from 'vitest'
import { bearer, call, callWith, cookie } from './helpers'
import { clientOf, emailLike, ID, JWT, MODES } from './compat.helpers'

const USER = (email: string) => ({ id: ID, fullName: { firstName: 'John', lastName: 'Doe' }, email })

describe.each(MODES)('id dialect (document 001) through %s', (mode) => {
  const api = clientOf('id', mode)
  const signUp = async () => {
    const email = emailLike('johndoe@example.com')
    const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: 'password123' }
    return { email, res: await api('POST', '/api/users/register', body) }
  }

  it('POST /api/users/register answers 201 { message, user: { id, ... }, token }, never _id', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ message: 'User registered successfully', user: USER(email), token: JWT })
    expect(JSON.stringify(res.body)).not.toContain('_id')
  })

  it('POST /api/users/register answers 422 { message, errors: [{ msg, param, location }] }', async () => {
    const res = await api('POST', '/api/users/register', {
      fullName: { firstName: 'Jo', lastName: 'Doe' },
      email: 'not-an-email',
      password: 'pass',
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({
      message: 'First name must be at least 3 characters',
      errors: [
        { msg: 'First name must be at least 3 characters', param: 'fullName.firstName', location: 'body' },
        { msg: 'Email must be a valid email address', param: 'email', location: 'body' },
        { msg: 'Password must be at least 8 characters', param: 'password', location: 'body' },
      ],
    })
  })

  // One rule: JSON that is not an object is a validation error like any other (422 on register, 400
  // elsewhere, with errors[]); malformed JSON never reached validation and stays 400 { message }.
  it('POST /api/users/register answers 422 { message, errors } for JSON that is not an object', async () => {
    const NOT_AN_OBJECT = 'Request body must be a JSON object'
    for (const body of [[], 'text', 42, null, true]) {
      const res = await api('POST', '/api/users/register', body)
      expect([res.status, res.body]).toEqual([
        422,
        { message: NOT_AN_OBJECT, errors: [{ msg: NOT_AN_OBJECT, param: '', location: 'body' }] },
      ])
    }
    const login = await api('POST', '/api/users/login', ['johndoe@example.com'])
    expect([login.status, login.body]).toEqual([
      400,
      { message: NOT_AN_OBJECT, errors: [{ msg: NOT_AN_OBJECT, param: '', location: 'body' }] },
    ])
  })

  it('POST /api/users/register answers 400 { message } for malformed JSON', async () => {
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email": ' }
    const res =
      mode === 'prefix' ? await call('/compat/id/api/users/register', init) : await callWith({ DIALECT: 'id' }, '/api/users/register', init)
    expect([res.status, await res.json()]).toEqual([400, { message: 'Malformed JSON in request body' }])
  })

  it('POST /api/users/register answers 409 { message } for an email that exists', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/api/users/register', { fullName: 'John Doe', email, password: 'password123' })
    expect([res.status, res.body]).toEqual([409, { message: 'User already exists' }])
  })

  it('POST /api/users/login answers 200 { message, user, token }', async () => {
    const { email, res: reg } = await signUp()
    const res = await api('POST', '/api/users/login', { email, password: 'password123' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ message: 'Login successful', user: reg.body.user, token: JWT })
  })

  it('POST /api/users/login answers 400 { message, errors: [{ msg, param, location }] }', async () => {
    const res = await api('POST', '/api/users/login', { email: 'not-an-email', password: '' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      message: 'Email must be a valid email address',
      errors: [
        { msg: 'Email must be a valid email address', param: 'email', location: 'body' },
        { msg: 'Password is required', param: 'password', location: 'body' },
      ],
    })
  })

  it('POST /api/users/login answers 401 { message: "Invalid email or password" }', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/api/users/login', { email, password: 'wrong password' })
    expect([res.status, res.body]).toEqual([401, { message: 'Invalid email or password' }])
  })

  it('GET /api/users/profile answers 200 { user: { id, fullName, email } } with a Bearer token or the cookie', async () => {
    const { email, res: reg } = await signUp()
    for (const headers of [bearer(reg.body.token), cookie(reg.body.token)]) {
      const res = await api('GET', '/api/users/profile', undefined, headers)
      expect([res.status, res.body]).toEqual([200, { user: USER(email) }])
    }
  })

  it('GET /api/users/profile answers 401 { message: "Unauthorized!" }', async () => {
    const res = await api('GET', '/api/users/profile')
    expect([res.status, res.body]).toEqual([401, { message: 'Unauthorized!' }])
  })

  it('GET /api/users/logout answers 200 { message } and the token is refused with 401 "Unauthorized!"', async () => {
    const { res: reg } = await signUp()
    const res = await api('GET', '/api/users/logout', undefined, bearer(reg.body.token))
    expect([res.status, res.body]).toEqual([200, { message: 'Logged out successfully' }])
    const again = await api('GET', '/api/users/logout', undefined, bearer(reg.body.token))
    expect([again.status, again.body]).toEqual([401, { message: 'Unauthorized!' }])
  })

  // Routes 001 does not show: its conventions (message key, 400 for validation outside register).
  it('PATCH /api/users/changePassword answers 200 { success, message }; a validation error 400 { message, errors }', async () => {
    const { email } = await signUp()
    const ok = await api('PATCH', '/api/users/changePassword', { email, oldPassword: 'password123', newPassword: 'password456' })
    expect([ok.status, ok.body]).toEqual([200, { success: true, message: 'Password updated successfully' }])
    const bad = await api('PATCH', '/api/users/changePassword', { email, oldPassword: 'password456', newPassword: 'short' })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      message: 'New password must be at least 8 characters',
      errors: [{ msg: 'New password must be at least 8 characters', param: 'newPassword', location: 'body' }],
    })
  })
})
