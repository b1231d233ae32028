// Seed documents 002 and 003, served as the `mongoose` dialect: their examples are the fixtures.
// Where they disagree the issue decides: login is 200 (003 shows 201; these clients check === 200).
import { describe, expect, it } from 'vitest'
import { bearer, cookie } from './helpers'
import { clientOf, emailLike, ID, JWT, MODES } from './compat.helpers'

const DOCUMENT = (email: string) => ({
  _id: ID,
  fullname: { firstname: 'John', lastname: 'Doe' },
  email,
  socketId: null,
})

describe.each(MODES)('mongoose dialect (documents 002, 003) through %s', (mode) => {
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
