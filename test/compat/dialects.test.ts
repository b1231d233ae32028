// The old Express backends' answers, one dialect each: every body is checked whole against the shape
// that backend's front end reads (`id` is served under /api/users, as its backend was). The two
// mongoose backends disagreed on login's status; their front ends check === 200, so login is 200.
import { describe, expect, it } from 'vitest'
import { clientOf, cookieToken, DATE, emailLike, ID, JWT, MODES } from '../support/dialects'
import { bearer, call, callWith, cookie } from '../support/request'

describe.each(MODES)('envelope dialect through %s', (mode) => {
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

const ID_USER = (email: string) => ({ id: ID, fullName: { firstName: 'John', lastName: 'Doe' }, email })

describe.each(MODES)('id dialect through %s', (mode) => {
  const api = clientOf('id', mode)
  const signUp = async () => {
    const email = emailLike('johndoe@example.com')
    const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: 'password123' }
    return { email, res: await api('POST', '/api/users/register', body) }
  }

  it('POST /api/users/register answers 201 { message, user: { id, ... }, token }, never _id', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ message: 'User registered successfully', user: ID_USER(email), token: JWT })
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
      expect([res.status, res.body]).toEqual([200, { user: ID_USER(email) }])
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

const DOCUMENT = (email: string) => ({
  _id: ID,
  fullname: { firstname: 'John', lastname: 'Doe' },
  email,
  socketId: null,
})

describe.each(MODES)('mongoose dialect through %s', (mode) => {
  const api = clientOf('mongoose', mode)
  const signUp = async () => {
    const email = emailLike('john.doe@example.com')
    const body = { fullname: { firstname: 'John', lastname: 'Doe' }, email, password: 'securePassword123' }
    return { email, res: await api('POST', '/users/register', body) }
  }

  it('POST /users/register answers 201 { user: the document, token }', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ user: DOCUMENT(email), token: JWT })
  })

  it('POST /users/register without a last name: the document has no lastname, as mongoose leaves it out', async () => {
    const email = emailLike('jane@example.com')
    const res = await api('POST', '/users/register', { fullname: { firstname: 'Jane' }, email, password: 'securePass1' })
    expect(res.status).toBe(201)
    expect(res.body.user).toEqual({ _id: ID, fullname: { firstname: 'Jane' }, email, socketId: null })
  })

  it('POST /users/register answers 400 { message, errors: [{ msg, param, location }] }', async () => {
    const body = { fullname: { firstname: 'John', lastname: 'Doe' }, email: 'john.doe', password: 'password123' }
    const res = await api('POST', '/users/register', body)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      message: 'Email must be a valid email address',
      errors: [{ msg: 'Email must be a valid email address', param: 'email', location: 'body' }],
    })
  })

  it('POST /users/register answers 400 with the name fields named as these clients send them: fullname.firstname', async () => {
    const body = { fullname: { firstname: 'Jo', lastname: 'D' }, email: emailLike('jo@example.com'), password: 'password123' }
    const res = await api('POST', '/users/register', body)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      message: 'First name must be at least 3 characters',
      errors: [
        { msg: 'First name must be at least 3 characters', param: 'fullname.firstname', location: 'body' },
        { msg: 'Last name must be at least 3 characters', param: 'fullname.lastname', location: 'body' },
      ],
    })
    const missing = await api('POST', '/users/register', { email: body.email, password: 'password123' })
    expect(missing.status).toBe(400)
    expect(missing.body.errors.map((e: { param: string }) => e.param)).toEqual(['fullname'])
  })

  it('POST /users/register answers 400 { message: "User already exists" } for an email that exists', async () => {
    const { email } = await signUp()
    const res = await api('POST', '/users/register', { fullname: { firstname: 'John' }, email, password: 'password123' })
    expect([res.status, res.body]).toEqual([400, { message: 'User already exists' }])
  })

  it('POST /users/login answers 200 (not 201) { user, token }', async () => {
    const { email, res: reg } = await signUp()
    const res = await api('POST', '/users/login', { email, password: 'securePassword123' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ user: reg.body.user, token: JWT })
  })

  it('POST /users/login answers 400 { message, errors } and 401 { message: "Invalid email or password" }', async () => {
    const invalid = await api('POST', '/users/login', { email: 'john.doe', password: 'password123' })
    expect([invalid.status, invalid.body]).toEqual([
      400,
      {
        message: 'Email must be a valid email address',
        errors: [{ msg: 'Email must be a valid email address', param: 'email', location: 'body' }],
      },
    ])
    const { email } = await signUp()
    const refused = await api('POST', '/users/login', { email, password: 'wrong password' })
    expect([refused.status, refused.body]).toEqual([401, { message: 'Invalid email or password' }])
  })

  it('GET /users/profile answers 200 with the bare user document (cookie or Bearer)', async () => {
    const { email, res: reg } = await signUp()
    for (const headers of [cookie(reg.body.token), bearer(reg.body.token)]) {
      const res = await api('GET', '/users/profile', undefined, headers)
      expect(res.status).toBe(200)
      expect(res.body).toEqual(DOCUMENT(email))
      expect(res.body._id).toBe(reg.body.user._id)
    }
  })

  it('GET /users/profile answers 401 { message: "Unauthorized" }', async () => {
    const res = await api('GET', '/users/profile')
    expect([res.status, res.body]).toEqual([401, { message: 'Unauthorized' }])
  })

  it('GET /users/logout answers 200 { message: "Logged out successfully" } and clears the cookie', async () => {
    const { res: reg } = await signUp()
    const res = await api('GET', '/users/logout', undefined, cookie(reg.body.token))
    expect([res.status, res.body]).toEqual([200, { message: 'Logged out successfully' }])
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=; Max-Age=0;/)
  })
})

const MSG_USER = (email: string) => ({
  _id: ID,
  fullName: { firstName: 'John', lastName: 'Doe' },
  email,
  socketId: null,
  createdAt: DATE,
  updatedAt: DATE,
})

describe.each(MODES)('msg dialect through %s', (mode) => {
  const api = clientOf('msg', mode)
  const signUp = async () => {
    const email = emailLike('john@example.com')
    const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: 'password123' }
    return { email, res: await api('POST', '/users/register', body) }
  }

  it('POST /users/register answers 201 { user, token }', async () => {
    const { email, res } = await signUp()
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ user: MSG_USER(email), token: JWT })
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
    expect([profile.status, profile.body]).toEqual([200, { user: MSG_USER(email) }])
    const out = await api('GET', '/users/logout', undefined, bearer(reg.body.token))
    expect([out.status, out.body]).toEqual([200, { msg: 'Logged out successfully' }])
    const after = await api('GET', '/users/profile', undefined, bearer(reg.body.token))
    expect([after.status, after.body]).toEqual([401, { msg: 'Unauthorized' }])
  })
})
