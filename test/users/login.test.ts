import { describe, expect, it } from 'vitest'
import { bearer, type Json, PREFIXES, send } from '../support/request'
import { PASSWORD, paths, registered, uniqueEmail } from '../support/users'

const login = (prefix: string, body: unknown) => send('POST', `${prefix}/login`, body)

describe.each(PREFIXES)('POST %s/login', (prefix) => {
  it('answers 200 with message, user, token and the session cookie', async () => {
    const { email, json: reg } = await registered(prefix)
    const res = await login(prefix, { email, password: PASSWORD })
    expect(res.status).toBe(200)
    const json = (await res.json()) as Json
    expect(json.message).toBe('Login successful')
    expect(json.user).toEqual(reg.user)
    expect(res.headers.get('Set-Cookie')).toContain(`__Host-token=${json.token}`)
    // The new token is a working session of its own.
    const profile = await send('GET', `${prefix}/profile`, undefined, bearer(json.token))
    expect(profile.status).toBe(200)
    expect(JSON.stringify(json)).not.toMatch(/\$2[aby]\$|correct horse/)
  })

  it('finds the user whatever the case and spacing of the email', async () => {
    const { email } = await registered(prefix)
    const res = await login(prefix, { email: `  ${email.toUpperCase()}  `, password: PASSWORD })
    expect(res.status).toBe(200)
  })

  it('answers the same 401 body for an unknown email and a wrong password', async () => {
    const { email } = await registered(prefix)
    const wrong = await login(prefix, { email, password: 'wrong password' })
    const unknown = await login(prefix, { email: uniqueEmail('ghost'), password: PASSWORD })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const body = { status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' }
    expect(await wrong.json()).toEqual(body)
    expect(await unknown.json()).toEqual(body)
    expect(wrong.headers.get('Set-Cookie')).toBeNull()
    expect(unknown.headers.get('Set-Cookie')).toBeNull()
  })

  it('is case-sensitive on the password', async () => {
    const { email } = await registered(prefix)
    expect((await login(prefix, { email, password: PASSWORD.toUpperCase() })).status).toBe(401)
  })
})

describe('POST /users/login validation', () => {
  it.each([
    [{ password: PASSWORD }, ['email'], /required/],
    [{ email: 'nope', password: PASSWORD }, ['email'], /valid email/],
    [{ email: uniqueEmail() }, ['password'], /required/],
    [{ email: uniqueEmail(), password: '' }, ['password'], /required/],
    [{ email: uniqueEmail(), password: 'a'.repeat(73) }, ['password'], /72 bytes/],
    [{ email: uniqueEmail(), password: 123 }, ['password'], /string/],
    [{ email: ['a@b.co'], password: PASSWORD }, ['email'], /string/],
    [{}, ['email', 'password'], /required/],
  ])('answers 400 for %j', async (body, expected, msg) => {
    const res = await login('/users', body)
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.message).toBe('Validation failed')
    expect(paths(json)).toEqual(expected)
    expect(json.errors[0].msg).toMatch(msg)
    expect(json.errors[0].location).toBe('body')
  })

  it('accepts a short password (only register enforces the minimum) and answers 401', async () => {
    const { email } = await registered()
    expect((await login('/users', { email, password: 'x' })).status).toBe(401)
  })
})
