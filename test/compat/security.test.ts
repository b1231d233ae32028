// One suite, every dialect: a dialect changes how an answer looks, never who is refused.
import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { DIALECT_NAMES, type DialectName } from '../../src/config/app.config'
import { type Answer, clientOf, cookieToken, emailLike, MODES } from '../support/dialects'
import { freshWindow } from '../support/rate-limit'
import { bearer, cookie, type Json } from '../support/request'
import { claimsOf } from '../support/users'

const BAD = 'Invalid email or password'
const FORBIDDEN = 'Forbidden: origin not allowed'
type Refusal = [number, Json]
type Refusals = { credentials: Refusal; changePassword: Refusal; token: Refusal; limited: Refusal; forbidden: Refusal }

/** How each dialect words the refusals (the old backends' texts); that they happen is the core's decision. */
const withStatus = (status: number, message: string): Refusal => [status, { status, message }]
/** The standard contract's refusals: with their codes. */
const withCode = (status: number, message: string, code: string): Refusal => [status, { status, message, code }]
const REFUSED: Record<DialectName, Refusals> = {
  standard: {
    credentials: withCode(401, BAD, 'BAD_CREDENTIALS'),
    changePassword: withCode(401, BAD, 'BAD_CREDENTIALS'),
    token: withCode(401, 'Unauthorized', 'UNAUTHORIZED'),
    limited: withCode(429, 'Too many requests', 'RATE_LIMITED'),
    forbidden: withCode(403, FORBIDDEN, 'ORIGIN_NOT_ALLOWED'),
  },
  envelope: {
    credentials: withStatus(400, 'Invalid credentials'),
    changePassword: withStatus(400, 'Invalid credentials'),
    token: withStatus(401, 'Unauthorized'),
    limited: withStatus(429, 'Too many requests'),
    forbidden: withStatus(403, FORBIDDEN),
  },
  id: {
    credentials: [401, { message: BAD }],
    changePassword: [401, { message: BAD }],
    token: [401, { message: 'Unauthorized!' }],
    limited: [429, { message: 'Too many requests' }],
    forbidden: [403, { message: FORBIDDEN }],
  },
  mongoose: {
    credentials: [401, { message: BAD }],
    changePassword: [401, { message: BAD }],
    token: [401, { message: 'Unauthorized' }],
    limited: [429, { message: 'Too many requests' }],
    forbidden: [403, { message: FORBIDDEN }],
  },
  msg: {
    credentials: [401, { msg: BAD }],
    changePassword: [401, { error: BAD }],
    token: [401, { msg: 'Unauthorized' }],
    limited: [429, { msg: 'Too many requests' }],
    forbidden: [403, { msg: FORBIDDEN }],
  },
}

const PASSWORD = 'password123'
const answer = (a: Answer): Refusal => [a.status, a.body]
const now = () => Math.floor(Date.now() / 1000)

const verify = vi.spyOn(passwords, 'verify')
afterEach(() => verify.mockClear())

const CASES = DIALECT_NAMES.flatMap((name) => MODES.map((mode) => [name, mode] as const))

describe.each(CASES)('security in the %s dialect through %s', (name, mode) => {
  beforeEach(freshWindow) // for the 11th-request tests
  const api = clientOf(name, mode)
  const refused = REFUSED[name]
  const signUp = async () => {
    const email = emailLike('john@example.com')
    const res = await api('POST', '/users/register', { fullName: 'John Doe', email, password: PASSWORD })
    expect(res.status).toBe(201)
    return { email, token: cookieToken(res)! }
  }
  const profile = (headers: Record<string, string>) => api('GET', '/users/profile', undefined, headers)

  it('POST /users/login: an unknown email and a wrong password get one answer, after the same bcrypt work', async () => {
    const { email } = await signUp()
    const unknown = await api('POST', '/users/login', { email: emailLike('nobody@example.com'), password: PASSWORD })
    expect(verify).toHaveBeenCalledTimes(1)
    const wrong = await api('POST', '/users/login', { email, password: 'wrong password' })
    expect(verify).toHaveBeenCalledTimes(2)
    expect(answer(unknown)).toEqual(refused.credentials)
    expect(answer(wrong)).toEqual(refused.credentials)
    expect(unknown.headers.get('Set-Cookie')).toBeNull()
    expect(wrong.headers.get('Set-Cookie')).toBeNull()
  })

  it('PATCH /users/changePassword: an unknown email and a wrong old password get one answer and change nothing', async () => {
    const { email } = await signUp()
    const change = (e: string, oldPassword: string) =>
      api('PATCH', '/users/changePassword', { email: e, oldPassword, newPassword: 'password456' })
    expect(answer(await change(emailLike('nobody@example.com'), PASSWORD))).toEqual(refused.changePassword)
    expect(answer(await change(email, 'wrong password'))).toEqual(refused.changePassword)
    expect((await api('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
  })

  it('POST /users/logout revokes the token: afterwards it is refused by Bearer and by cookie', async () => {
    const { token } = await signUp()
    expect((await profile(bearer(token))).status).toBe(200)
    expect((await api('POST', '/users/logout', undefined, bearer(token))).status).toBe(200)
    expect(answer(await profile(bearer(token)))).toEqual(refused.token)
    expect(answer(await profile(cookie(token)))).toEqual(refused.token)
    expect(answer(await api('GET', '/users/logout', undefined, bearer(token)))).toEqual(refused.token)
  })

  it('change password and logout-all end every earlier session', async () => {
    const { email, token } = await signUp()
    expect((await api('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword: 'password456' })).status).toBe(200)
    expect(answer(await profile(bearer(token)))).toEqual(refused.token)
    const login = await api('POST', '/users/login', { email, password: 'password456' })
    const fresh = cookieToken(login)!
    expect((await api('POST', '/users/logout-all', undefined, bearer(fresh))).status).toBe(200)
    expect(answer(await profile(bearer(fresh)))).toEqual(refused.token)
  })

  it('POST /users/login: the 11th request for one email (its registration counts) gets 429 with Retry-After: 60, before bcrypt', async () => {
    const { email } = await signUp()
    for (let i = 0; i < 9; i++) {
      expect(answer(await api('POST', '/users/login', { email, password: `wrong-${i}` }))).toEqual(refused.credentials)
    }
    expect(verify).toHaveBeenCalledTimes(9)
    const limited = await api('POST', '/users/login', { email, password: PASSWORD })
    expect(answer(limited)).toEqual(refused.limited)
    expect(limited.headers.get('Retry-After')).toBe('60')
    expect(verify).toHaveBeenCalledTimes(9)
  })

  it('PATCH /users/changePassword: the 11th request for one email gets 429 with Retry-After: 60 and changes nothing', async () => {
    const { email, token } = await signUp()
    const change = (oldPassword: string) => api('PATCH', '/users/changePassword', { email, oldPassword, newPassword: 'password456' })
    for (let i = 0; i < 9; i++) expect(answer(await change(`wrong-${i}`))).toEqual(refused.changePassword)
    const limited = await change(PASSWORD)
    expect(answer(limited)).toEqual(refused.limited)
    expect(limited.headers.get('Retry-After')).toBe('60')
    // Nothing changed: a password change would have ended this session (and login is limited too).
    expect((await profile(bearer(token))).status).toBe(200)
  })

  it('a forged, expired, unsigned or garbage token is refused like no token at all', async () => {
    const { token } = await signUp()
    const claims = claimsOf(token)
    const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
    const tokens = {
      'signed with another secret': await sign(claims, 'another-secret-that-is-at-least-32-bytes', 'HS256'),
      expired: await sign({ ...claims, iat: now() - 120, exp: now() - 60 }, env.JWT_SECRET, 'HS256'),
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      garbage: 'not.a.jwt',
    }
    // Control: the same claims, correctly signed, pass.
    expect((await profile(bearer(await sign(claims, env.JWT_SECRET, 'HS256')))).status).toBe(200)
    for (const forged of Object.values(tokens)) {
      expect(answer(await profile(bearer(forged)))).toEqual(refused.token)
      expect(answer(await profile(cookie(forged)))).toEqual(refused.token)
    }
    expect(answer(await profile({}))).toEqual(refused.token)
  })

  it('a cookie logout from a foreign origin gets 403 and the session survives', async () => {
    const { token } = await signUp()
    const res = await api('POST', '/users/logout', undefined, { ...cookie(token), Origin: 'https://evil.example.net' })
    expect(answer(res)).toEqual(refused.forbidden)
    expect((await profile(cookie(token))).status).toBe(200)
  })

  it('no body carries the password or its hash', async () => {
    const { email, token } = await signUp()
    const bodies = [
      await api('POST', '/users/login', { email, password: PASSWORD }),
      await profile(bearer(token)),
    ].map((a) => JSON.stringify(a.body))
    for (const body of bodies) {
      expect(body).not.toContain(PASSWORD)
      expect(body).not.toMatch(/\$2[aby]\$|hash/i)
    }
  })
})
