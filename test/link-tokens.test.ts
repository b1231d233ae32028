import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createLinkToken, LINK_TTL_SECONDS, readLinkToken, verifyLinkToken } from '../src/auth/link-tokens'
import { createDb } from '../src/db/client'
import { findById } from '../src/db/users.repository'
import { mailbox, registeredIn } from './account.helpers'
import { callWith, jsonInit } from './helpers'

const SECRET = 'link-secret-that-is-at-least-32-bytes-long'
const OTHER = 'another-secret-that-is-at-least-32-bytes-long'
const user = { id: '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d', email: 'ada@example.com', passwordHash: '$2b$10$hash', emailVerified: false }

describe('link tokens', () => {
  it('are <user id>.<expiry>.<43 base64url characters>, URL-safe, with the purpose’s lifetime', async () => {
    const now = Date.UTC(2026, 3, 20)
    for (const purpose of ['verify-email', 'reset-password'] as const) {
      const token = await createLinkToken(purpose, user, SECRET, now)
      expect(token).toMatch(/^[\w-]+\.\d+\.[\w-]{43}$/)
      expect(encodeURIComponent(token)).toBe(token)
      expect(readLinkToken(token, now)).toMatchObject({ userId: user.id, exp: now / 1000 + LINK_TTL_SECONDS[purpose] })
    }
    expect(LINK_TTL_SECONDS).toEqual({ 'verify-email': 86_400, 'reset-password': 3_600 })
  })

  it('verify for their purpose, user and state until they expire', async () => {
    const now = Date.now()
    const token = await createLinkToken('reset-password', user, SECRET, now)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now)).toBe(true)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now + 3599_000)).toBe(true)
    expect(await verifyLinkToken('reset-password', token, user, [SECRET], now + 3600_000)).toBe(false)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET], now)).toBe(false)
    expect(await verifyLinkToken('reset-password', token, { ...user, id: crypto.randomUUID() }, [SECRET], now)).toBe(false)
    expect(await verifyLinkToken('reset-password', token, user, [OTHER], now)).toBe(false)
  })

  it('die when the state they are bound to changes', async () => {
    const reset = await createLinkToken('reset-password', user, SECRET)
    expect(await verifyLinkToken('reset-password', reset, { ...user, passwordHash: '$2b$10$other' }, [SECRET])).toBe(false)
    expect(await verifyLinkToken('reset-password', reset, { ...user, email: 'new@example.com' }, [SECRET])).toBe(false)
    const verify = await createLinkToken('verify-email', user, SECRET)
    expect(await verifyLinkToken('verify-email', verify, { ...user, emailVerified: true }, [SECRET])).toBe(false)
    expect(await verifyLinkToken('verify-email', verify, { ...user, email: 'new@example.com' }, [SECRET])).toBe(false)
    // A verification link does not depend on the password, nor a reset link on the verification.
    expect(await verifyLinkToken('verify-email', verify, { ...user, passwordHash: '$2b$10$other' }, [SECRET])).toBe(true)
    expect(await verifyLinkToken('reset-password', reset, { ...user, emailVerified: true }, [SECRET])).toBe(true)
  })

  it('signed with the previous secret still verify while it is listed (JWT_SECRET rotation)', async () => {
    const token = await createLinkToken('verify-email', user, OTHER)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET, OTHER])).toBe(true)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET])).toBe(false)
  })

  it('refuse anything not shaped like one', async () => {
    for (const token of ['', 'a.b.c', `${user.id}.1.${'A'.repeat(42)}`, `${user.id}.99999999999.${'A'.repeat(44)}`, `../${user.id}.1.x`]) {
      expect(await verifyLinkToken('verify-email', token, user, [SECRET]), token).toBe(false)
    }
  })

  it("have one spelling: the signature's last character with its unused bits set is refused", async () => {
    const token = await createLinkToken('verify-email', user, SECRET)
    expect(await verifyLinkToken('verify-email', token, user, [SECRET])).toBe(true)
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = B64.indexOf(token.at(-1)!)
    expect(last % 4).toBe(0) // the canonical form: the two unused low bits are zero
    for (const bits of [1, 2, 3]) {
      const variant = token.slice(0, -1) + B64[last + bits]
      expect(await verifyLinkToken('verify-email', variant, user, [SECRET]), variant).toBe(false)
    }
  })

  it('POST /verify-email accepts a link sent before JWT_SECRET was rotated', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box)
    const token = box.token(email, 'verify')
    const rotated = { JWT_SECRET: OTHER, JWT_SECRET_PREVIOUS: env.JWT_SECRET, EMAIL: box.bindings.EMAIL }
    expect((await callWith(rotated, '/users/verify-email', jsonInit('POST', { token }))).status).toBe(200)
  })
})

describe('the email_verified column', () => {
  it('defaults to false for a row inserted without it (existing rows, an import), shown as emailVerified: false', async () => {
    const id = crypto.randomUUID()
    const now = new Date().toISOString()
    await env.DB.prepare(
      'INSERT INTO users (id, first_name, last_name, email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(id, 'Imported', null, `imported-${id}@example.com`, '$2b$04$abcdefghijklmnopqrstuv', now, now)
      .run()
    const row = await findById(createDb(env.DB), id)
    expect(row?.emailVerified).toBe(false)
    expect(await env.DB.prepare('SELECT email_verified FROM users WHERE id = ?').bind(id).first('email_verified')).toBe(0)
  })
})
