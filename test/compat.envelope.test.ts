// Seed document 000, served as the `envelope` dialect: its examples are the fixtures.
import { describe, expect, it } from 'vitest'
import { bearer, cookie } from './helpers'
import { clientOf, cookieToken, DATE, emailLike, ID, MODES } from './compat.helpers'

describe.each(MODES)('envelope dialect (document 000) through %s', (mode) => {
  const api = clientOf('envelope', mode)
  const signUp = async () => {
    const email = emailLike('john.doe@example.com')
    const res = await api('POST', '/users/register', { fullName: 'John Doe', email, password: 'password123' })
    return { email, res, token: cookieToken(res)! }
  }

  it('POST /users/register answers 201 { status, data: user with fullName as one string, message } and the cookie', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      status: 201,
      data: { _id: ID, fullName: 'John Doe', email, profilePic: null, socketId: null, createdAt: DATE, updatedAt: DATE },
      message: 'User created successfully',
    })
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
  })

  it('POST /users/register answers 400 { status, message: "User already exists" } for an email that exists', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/users/register', { fullName: 'John Doe', email: email.toUpperCase(), password: 'password123' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ status: 400, message: 'User already exists' })
  })

  it('POST /users/register answers 400 { status, message } naming the first invalid field', async () => {
    const res = await api('POST', '/users/register', {})
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ status: 400, message: 'Full name is required' })
    const short = await api('POST', '/users/register', { fullName: 'John Doe', email: emailLike('j@example.com'), password: 'short' })
    expect(short.body).toEqual({ status: 400, message: 'Password must be at least 8 characters' })
  })

  it('POST /users/login answers 200 { status, data: { _id, fullName, email }, message } and the cookie', async () => {
    const { email, res: reg } = await signUp()
    const res = await api('POST', '/users/login', { email, password: 'password123' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 200,
      data: { _id: reg.body.data._id, fullName: 'John Doe', email },
      message: 'User logged in successfully',
    })
    expect(cookieToken(res)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
  })

  it('POST /users/login answers 400 { status, message: "Invalid credentials" } for a wrong password', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/users/login', { email, password: 'wrong password' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ status: 400, message: 'Invalid credentials' })
  })

  it('GET /users/logout answers 200 { status, data: {}, message } and clears the cookie', async () => {
    const { token } = await signUp()
    const res = await api('GET', '/users/logout', undefined, cookie(token))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 200, data: {}, message: 'User logged out successfully' })
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=; Max-Age=0;/)
    const again = await api('GET', '/users/profile', undefined, cookie(token))
    expect([again.status, again.body]).toEqual([401, { status: 401, message: 'Unauthorized' }])
  })

  // Routes 000 does not show, in its envelope.
  it('GET /users/profile answers 200 { status, data: user, message }', async () => {
    const { email, token, res: reg } = await signUp()
    const res = await api('GET', '/users/profile', undefined, cookie(token))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 200, data: reg.body.data, message: 'User profile fetched successfully' })
    expect(res.body.data.email).toBe(email)
  })

  it('PATCH /users/changePassword answers 200 { status, data: {}, message }; bad credentials 400', async () => {
    const { email } = await signUp()
    const ok = await api('PATCH', '/users/changePassword', { email, oldPassword: 'password123', newPassword: 'password456' })
    expect([ok.status, ok.body]).toEqual([200, { status: 200, data: {}, message: 'Password updated successfully' }])
    const bad = await api('PATCH', '/users/changePassword', { email, oldPassword: 'password123', newPassword: 'password789' })
    expect([bad.status, bad.body]).toEqual([400, { status: 400, message: 'Invalid credentials' }])
  })

  it('POST /users/logout-all answers 200 { status, data: {}, message }', async () => {
    const { token } = await signUp()
    const res = await api('POST', '/users/logout-all', undefined, bearer(token))
    expect([res.status, res.body]).toEqual([200, { status: 200, data: {}, message: 'User logged out from all sessions' }])
  })
})
