import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { createLinkToken } from '../../src/auth/link-tokens'
import { REGISTERED_UNVERIFIED } from '../../src/users/users.routes'
import { mailbox, registeredIn } from '../support/mailbox'
import { BASE, bearer, cookie, type Json, PREFIXES } from '../support/request'
import { PASSWORD, userCount, userRow } from '../support/users'

const profileOf = async (box: ReturnType<typeof mailbox>, prefix: string, token: string) =>
  ((await (await box.call(`${prefix}/profile`, { headers: bearer(token) })).json()) as Json).user

describe.each(PREFIXES)('email verification under %s', (prefix) => {
  it('POST /register emails a verification link to the new address, and the user starts unverified', async () => {
    const box = mailbox()
    const { email, user } = await registeredIn(box, prefix)
    expect(user.emailVerified).toBe(false)
    const [mail] = box.to(email)
    expect(box.to(email)).toHaveLength(1)
    expect(mail).toMatchObject({ from: env.MAIL_FROM, to: email, subject: 'Verify your email address' })
    // The link points at this API's own demo page (APP_URL is empty), the token in the fragment.
    const token = box.token(email, 'verify')
    expect(mail.text).toContain(`${BASE}/#verify=${token}`)
    expect(mail.html).toContain(`<a href="${BASE}/#verify=${token}">`)
    expect(mail.text).toMatch(/^Hello,\n/) // an unverified address gets no name typed by the registrant
    // The simulated binding accepted it.
    expect(box.results[0].messageId).toMatch(/^<.+@example\.com>$/)
  })

  it('POST /verify-email with the emailed token answers 200 and the user is verified', async () => {
    const box = mailbox()
    const { email, token: session, user } = await registeredIn(box, prefix)
    const res = await box.send('POST', `${prefix}/verify-email`, { token: box.token(email, 'verify') })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Email verified successfully' })
    expect((await profileOf(box, prefix, session!)).emailVerified).toBe(true)
    expect((await userRow(user._id))?.email_verified).toBe(1)
  })

  it('POST /verify-email answers 400 for a link used once already (single use)', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    const token = box.token(email, 'verify')
    expect((await box.send('POST', `${prefix}/verify-email`, { token })).status).toBe(200)
    const again = await box.send('POST', `${prefix}/verify-email`, { token })
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
  })

  it('POST /verify-email answers 400 for a tampered, foreign, expired or malformed token, and verifies nothing', async () => {
    const box = mailbox()
    const { email, user } = await registeredIn(box, prefix)
    const good = box.token(email, 'verify')
    const [id, exp, sig] = good.split('.')
    const row = await userRow(user._id)
    const dayAgo = Date.now() - 24 * 3600 * 1000 - 1000
    const bad = [
      `${id}.${exp}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, // another signature
      `${id}.${Number(exp) + 60}.${sig}`, // a later expiry
      `${crypto.randomUUID()}.${exp}.${sig}`, // another user
      await createLinkToken('reset-password', { ...row, passwordHash: row!.password_hash, emailVerified: false } as never, env.JWT_SECRET), // another purpose
      await createLinkToken('verify-email', { id, email, passwordHash: '', emailVerified: false }, env.JWT_SECRET, dayAgo), // expired (24 h)
      await createLinkToken('verify-email', { id, email, passwordHash: '', emailVerified: false }, 'another-secret-that-is-at-least-32-bytes'),
      'not-a-token',
      `${id}.${exp}`,
    ]
    for (const token of bad) {
      const res = await box.send('POST', `${prefix}/verify-email`, { token })
      expect(res.status, token).toBe(400)
      expect(await res.json(), token).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
    }
    expect((await userRow(user._id))?.email_verified).toBe(0)
  })

  it('POST /verify-email answers 400 naming the field when the token is missing', async () => {
    const res = await mailbox().send('POST', `${prefix}/verify-email`, {})
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors).toEqual([{ msg: 'Token is required', param: 'token', path: 'token', location: 'body' }])
  })

  it('POST /verify-email/request answers 202 and emails a new link that works', async () => {
    const box = mailbox()
    const { email, token } = await registeredIn(box, prefix)
    const res = await box.call(`${prefix}/verify-email/request`, { method: 'POST', headers: cookie(token!) })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ message: 'Verification email sent' })
    expect(box.to(email)).toHaveLength(2)
    expect((await box.send('POST', `${prefix}/verify-email`, { token: box.token(email, 'verify') })).status).toBe(200)
  })

  it('POST /verify-email/request answers 409 once the email is verified, and sends nothing', async () => {
    const box = mailbox()
    const { email, token } = await registeredIn(box, prefix)
    await box.send('POST', `${prefix}/verify-email`, { token: box.token(email, 'verify') })
    const res = await box.call(`${prefix}/verify-email/request`, { method: 'POST', headers: bearer(token!) })
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({ status: 409, message: 'Email already verified', code: 'EMAIL_ALREADY_VERIFIED' })
    expect(box.to(email)).toHaveLength(1)
  })

  it('POST /verify-email/request answers 401 without a token and 403 for the cookie from a foreign origin', async () => {
    const box = mailbox()
    const { email, token } = await registeredIn(box, prefix)
    expect((await box.call(`${prefix}/verify-email/request`, { method: 'POST' })).status).toBe(401)
    const foreign = await box.call(`${prefix}/verify-email/request`, {
      method: 'POST',
      headers: { ...cookie(token!), Origin: 'https://evil.example.net' },
    })
    expect(foreign.status).toBe(403)
    expect(box.to(email)).toHaveLength(1)
  })
})

describe('REQUIRE_EMAIL_VERIFICATION', () => {
  it('off (the default): login answers 200 straight after register, unverified', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box)
    const res = await box.send('POST', '/users/login', { email, password: PASSWORD })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user.emailVerified).toBe(false)
  })

  it('on: register answers 201 saying so, with no token and no cookie', async () => {
    const box = mailbox({ REQUIRE_EMAIL_VERIFICATION: 'true' })
    const { email, res, token } = await registeredIn(box)
    expect(token).toBeUndefined()
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(await box.send('POST', '/users/login', { email, password: PASSWORD }).then((r) => r.json())).toEqual({
      status: 403,
      message: 'Email not verified',
      code: 'EMAIL_NOT_VERIFIED',
    })
    expect(REGISTERED_UNVERIFIED).toMatch(/verify your email/i)
    expect(box.to(email)).toHaveLength(1)
  })

  it('on: register’s body is { message saying so, user }', async () => {
    const box = mailbox({ REQUIRE_EMAIL_VERIFICATION: 'true' })
    const { body, user, email } = await registeredIn(box)
    expect(body).toEqual({ message: REGISTERED_UNVERIFIED, user })
    expect(user).toMatchObject({ email, emailVerified: false })
  })

  it('on: login answers 403 for the right password, 401 for a wrong one, 200 once verified', async () => {
    const box = mailbox({ REQUIRE_EMAIL_VERIFICATION: 'true' })
    const { email } = await registeredIn(box, '/api/users')
    const login = (password: string) => box.send('POST', '/api/users/login', { email, password })
    const refused = await login(PASSWORD)
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ status: 403, message: 'Email not verified', code: 'EMAIL_NOT_VERIFIED' })
    expect(refused.headers.get('Set-Cookie')).toBeNull()
    // Without the password, an unverified account looks like any other refusal.
    expect(await (await login('not the password')).json()).toEqual({ status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' })
    expect((await box.send('POST', '/api/users/verify-email', { token: box.token(email, 'verify'), password: PASSWORD })).status).toBe(200)
    expect((await login(PASSWORD)).status).toBe(200)
  })

  it('a value that is neither "true" nor "false" is a configuration error: 500, and the log says why', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const box = mailbox({ REQUIRE_EMAIL_VERIFICATION: 'yes' })
    const res = await box.send('POST', '/users/forgot-password', { email: 'a@example.com' })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' })
    expect(log).toHaveBeenCalledWith('Invalid configuration: REQUIRE_EMAIL_VERIFICATION: REQUIRE_EMAIL_VERIFICATION must be "true" or "false"')
    log.mockRestore()
  })

  it('an invalid MAIL_FROM fails register closed, before the user is written', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const box = mailbox({ MAIL_FROM: 'not an address' })
    const email = `closed-${crypto.randomUUID()}@example.com`
    const res = await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
    expect(res.status).toBe(500)
    expect(await userCount(email)).toBe(0)
    expect(log.mock.calls[0][0]).toMatch(/^Invalid configuration: MAIL_FROM: /)
    log.mockRestore()
  })
})
