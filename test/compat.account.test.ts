// Issue 13, "Dialects": the account-lifecycle routes exist under every prefix in the standard
// shape, their errors included (no seed document's client calls them). Under every dialect, chosen
// by prefix or by DIALECT.
import { describe, expect, it } from 'vitest'
import { DIALECT_NAMES } from '../src/config/app.config'
import { MODES, clientOf } from './compat.helpers'
import { PASSWORD, registered, uniqueEmail } from './helpers'

const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const FORGOT = { message: 'If an account exists for this email, a reset link has been sent' }

describe.each(DIALECT_NAMES.flatMap((name) => MODES.map((mode) => [name, mode] as const)))('%s dialect by %s', (name, mode) => {
  const client = clientOf(name, mode)

  it('POST /users/forgot-password answers the standard 202, and its 400 keeps errors[]', async () => {
    expect(await client('POST', '/users/forgot-password', { email: uniqueEmail() })).toMatchObject({ status: 202, body: FORGOT })
    const invalid = await client('POST', '/users/forgot-password', { email: 'not-an-email' })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toEqual({
      status: 400,
      message: 'Validation failed',
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'email', msg: 'Email must be a valid email address' })],
    })
  })

  it('POST /api/users/verify-email/request without a valid token answers the standard 401', async () => {
    expect(await client('POST', '/api/users/verify-email/request', {}, { Authorization: 'Bearer not.a.jwt' })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    })
  })

  it('POST /users/reset-password with a bad link answers the standard 400', async () => {
    const res = await client('POST', '/users/reset-password', { token: 'x.1.y', newPassword: 'a new password 1' })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ status: 400, message: expect.any(String), code: 'LINK_INVALID' })
  })

  it('PATCH and DELETE /users/profile answer { user } and the standard 401 for a wrong password', async () => {
    const { token } = await registered()
    const auth = { Authorization: `Bearer ${token}` }
    const renamed = await client('PATCH', '/users/profile', { fullName: 'Jane Roe' }, auth)
    expect(renamed.status).toBe(200)
    expect(renamed.body.user.fullName).toEqual({ firstName: 'Jane', lastName: 'Roe' })
    const refused = await client('DELETE', '/users/profile', { password: `${PASSWORD} wrong` }, auth)
    expect(refused).toMatchObject({ status: 401, body: { status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' } })
  })
})
