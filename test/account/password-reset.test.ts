import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { FORGOT_PASSWORD_MESSAGE } from '../../src/account/password-reset.routes'
import { createLinkToken } from '../../src/auth/link-tokens'
import { createDb } from '../../src/db/client'
import { findByEmail } from '../../src/db/users.repository'
import worker from '../../src/index'
import { EMAILS_PER_HOUR, takeEmailQuota } from '../../src/mail/quota'
import { mailbox, registeredIn } from '../support/mailbox'
import { freshWindow } from '../support/rate-limit'
import { BASE, bearer, cookie, type Json, jsonInit, PREFIXES, uniqueIp } from '../support/request'
import { PASSWORD, uniqueEmail, userRow } from '../support/users'

const NEW_PASSWORD = 'battery staple horse'
const db = createDb(env.DB)

describe.each(PREFIXES)('password reset under %s', (prefix) => {
  it('POST /forgot-password answers 202 with the fixed body and emails a reset link to an account', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    const res = await box.send('POST', `${prefix}/forgot-password`, { email: `  ${email.toUpperCase()} ` })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ message: FORGOT_PASSWORD_MESSAGE })
    const mail = box.to(email).at(-1)!
    expect(mail).toMatchObject({ from: env.MAIL_FROM, to: email, subject: 'Reset your password' })
    const token = box.token(email, 'reset')
    expect(mail.text).toContain(`${BASE}/#reset=${token}`)
    expect(mail.html).toContain(`<a href="${BASE}/#reset=${token}">`)
  })

  it('POST /forgot-password answers the same 202 for an email without an account, and emails nobody', async () => {
    const box = mailbox()
    const email = uniqueEmail('nobody')
    const res = await box.send('POST', `${prefix}/forgot-password`, { email })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ message: FORGOT_PASSWORD_MESSAGE })
    expect(box.sent).toEqual([])
  })

  it('POST /forgot-password answers 400 naming the field for an invalid email', async () => {
    const res = await mailbox().send('POST', `${prefix}/forgot-password`, { email: 'nope' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors.map((e: Json) => e.path)).toEqual(['email'])
  })

  it('POST /reset-password with the link answers 200; the new password works, the old one and every session are refused', async () => {
    const box = mailbox()
    const { email, token: first } = await registeredIn(box, prefix)
    const second = ((await (await box.send('POST', `${prefix}/login`, { email, password: PASSWORD })).json()) as Json).token
    await box.send('POST', `${prefix}/forgot-password`, { email })
    const res = await box.send('POST', `${prefix}/reset-password`, { token: box.token(email, 'reset'), newPassword: NEW_PASSWORD })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Password has been reset' })
    for (const headers of [bearer(first!), cookie(first!), bearer(second)]) {
      expect((await box.call(`${prefix}/profile`, { headers })).status).toBe(401)
    }
    expect((await box.send('POST', `${prefix}/login`, { email, password: PASSWORD })).status).toBe(401)
    const login = await box.send('POST', `${prefix}/login`, { email, password: NEW_PASSWORD })
    expect(login.status).toBe(200)
    // The reset proved the inbox is the user's.
    expect(((await login.json()) as Json).user.emailVerified).toBe(true)
  })

  it('POST /reset-password answers 400 for a link used once already, and the password stays the new one', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    await box.send('POST', `${prefix}/forgot-password`, { email })
    const token = box.token(email, 'reset')
    expect((await box.send('POST', `${prefix}/reset-password`, { token, newPassword: NEW_PASSWORD })).status).toBe(200)
    const again = await box.send('POST', `${prefix}/reset-password`, { token, newPassword: 'a third password' })
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
    expect((await box.send('POST', `${prefix}/login`, { email, password: NEW_PASSWORD })).status).toBe(200)
  })

  it('POST /reset-password answers 400 once the password was changed another way (the link is bound to it)', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    await box.send('POST', `${prefix}/forgot-password`, { email })
    const changed = await box.send('PATCH', `${prefix}/changePassword`, { email, oldPassword: PASSWORD, newPassword: NEW_PASSWORD })
    expect(changed.status).toBe(200)
    const res = await box.send('POST', `${prefix}/reset-password`, { token: box.token(email, 'reset'), newPassword: 'a third password' })
    expect(res.status).toBe(400)
    expect((await box.send('POST', `${prefix}/login`, { email, password: NEW_PASSWORD })).status).toBe(200)
  })

  it('POST /reset-password answers 400 for a link older than 1 hour, or a verification link', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    const user = (await findByEmail(db, email))!
    const expired = await createLinkToken('reset-password', user, env.JWT_SECRET, Date.now() - 3601 * 1000)
    for (const token of [expired, box.token(email, 'verify')]) {
      const res = await box.send('POST', `${prefix}/reset-password`, { token, newPassword: NEW_PASSWORD })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
    }
    expect((await userRow(user.id))?.password_hash).toBe(user.passwordHash)
  })

  it('POST /reset-password answers 400 naming newPassword when it breaks the register rules, and keeps the link', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, prefix)
    await box.send('POST', `${prefix}/forgot-password`, { email })
    const token = box.token(email, 'reset')
    const res = await box.send('POST', `${prefix}/reset-password`, { token, newPassword: 'short' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors).toEqual([
      { msg: 'New password must be at least 8 characters', param: 'newPassword', path: 'newPassword', location: 'body' },
    ])
    expect((await box.send('POST', `${prefix}/reset-password`, { token, newPassword: NEW_PASSWORD })).status).toBe(200)
  })

  it('POST /reset-password refuses a common password when PASSWORD_BLOCKLIST=common', async () => {
    const box = mailbox({ PASSWORD_BLOCKLIST: 'common' })
    const { email } = await registeredIn(box, prefix)
    await box.send('POST', `${prefix}/forgot-password`, { email })
    const res = await box.send('POST', `${prefix}/reset-password`, { token: box.token(email, 'reset'), newPassword: 'password123' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors[0].path).toBe('newPassword')
  })
})

describe('abuse limits', () => {
  beforeEach(freshWindow)

  it('POST /forgot-password answers 429 with Retry-After: 60 after 5 requests for one email in a minute', async () => {
    const box = mailbox()
    const email = uniqueEmail('limited')
    for (let i = 0; i < 5; i++) expect((await box.send('POST', '/users/forgot-password', { email })).status).toBe(202)
    const res = await box.send('POST', '/api/users/forgot-password', { email })
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    expect(await res.json()).toEqual({ status: 429, message: 'Too many requests', code: 'RATE_LIMITED' })
    // Another email is not affected.
    expect((await box.send('POST', '/users/forgot-password', { email: uniqueEmail() })).status).toBe(202)
  })

  it('POST /forgot-password and /verify-email/request answer 429 past the per-IP limit (CF-Connecting-IP)', async () => {
    const box = mailbox()
    const ip = { 'CF-Connecting-IP': uniqueIp() }
    const statuses: number[] = []
    for (let i = 0; i < 101; i++) statuses.push((await box.send('POST', '/users/forgot-password', { email: uniqueEmail() }, ip)).status)
    expect(statuses.slice(0, 100).every((s) => s === 202)).toBe(true)
    expect(statuses[100]).toBe(429)
    const { token } = await registeredIn(box)
    const res = await box.call('/users/verify-email/request', { method: 'POST', headers: { ...bearer(token!), ...ip } })
    expect(res.status).toBe(429)
  })

  it(`an address gets at most ${EMAILS_PER_HOUR} emails an hour: forgot-password still answers 202 but sends nothing`, async () => {
    const box = mailbox()
    const { email } = await registeredIn(box) // 1: the verification email
    for (let i = 1; i < EMAILS_PER_HOUR; i++) await takeEmailQuota(db, email)
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const res = await box.send('POST', '/users/forgot-password', { email })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ message: FORGOT_PASSWORD_MESSAGE })
    expect(box.to(email)).toHaveLength(1)
    // Logged without the address or a token.
    const skipped = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('hourly cap'))
    expect(skipped).toHaveLength(1)
    expect(skipped[0]).not.toContain(email)
    log.mockRestore()
  })

  it('POST /verify-email/request answers 429 with the seconds left in the hour once the address had its share', async () => {
    const box = mailbox()
    const { email, token } = await registeredIn(box)
    for (let i = 1; i < EMAILS_PER_HOUR; i++) await takeEmailQuota(db, email)
    const res = await box.call('/users/verify-email/request', { method: 'POST', headers: bearer(token!) })
    expect(res.status).toBe(429)
    expect(await res.json()).toEqual({ status: 429, message: 'Too many requests', code: 'RATE_LIMITED' })
    const retryAfter = Number(res.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(3500)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    expect(box.to(email)).toHaveLength(1)
  })

  it('the hourly window starts again after an hour', async () => {
    const email = uniqueEmail('window')
    const now = Date.now()
    for (let i = 0; i < EMAILS_PER_HOUR; i++) expect((await takeEmailQuota(db, email, now)).allowed).toBe(true)
    expect((await takeEmailQuota(db, email, now + 1000)).allowed).toBe(false)
    expect(await takeEmailQuota(db, email, now + 3600 * 1000)).toEqual({ allowed: true, retryAfter: 3600 })
  })

  it('the quota is kept under a hash of the address, never the address', async () => {
    const email = uniqueEmail('hashed')
    await takeEmailQuota(db, email)
    const rows = await env.DB.prepare('SELECT * FROM email_quota').all<Json>()
    expect(JSON.stringify(rows.results)).not.toContain(email)
    expect(rows.results.some((r) => /^[0-9a-f]{64}$/.test(r.address_hash))).toBe(true)
  })
})

describe('POST /forgot-password timing', () => {
  it('answers before the account is looked up: the email goes out after the response (waitUntil)', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box)
    const ctx = createExecutionContext()
    const res = await worker.fetch(new Request(`${BASE}/users/forgot-password`, jsonInit('POST', { email })), box.bindings as Env, ctx)
    expect(res.status).toBe(202)
    expect(box.to(email)).toHaveLength(1) // only the verification email so far
    await waitOnExecutionContext(ctx)
    expect(box.to(email)).toHaveLength(2)
    expect(box.to(email)[1].subject).toBe('Reset your password')
  })
})

describe('POST /reset-password with a link for a user id that does not exist', () => {
  it('answers the same 400 after the same MAC check as for an existing id, so its time does not tell which ids exist', async () => {
    const ghost = { id: crypto.randomUUID(), email: 'ghost@example.com', passwordHash: '$2b$10$x', emailVerified: false }
    const token = await createLinkToken('reset-password', ghost, env.JWT_SECRET as string)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    try {
      const res = await mailbox().send('POST', '/users/reset-password', { token, newPassword: NEW_PASSWORD })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
      expect(verify).toHaveBeenCalledTimes(1)
    } finally {
      verify.mockRestore()
    }
  })
})
