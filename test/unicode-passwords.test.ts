// Issue 15, item 4: the same visible password matches whatever Unicode form the keyboard produced.
import { env } from 'cloudflare:workers'
import { hash } from 'bcrypt-ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../src/auth/passwords'
import { type Json, send, uniqueEmail } from './helpers'

afterEach(() => vi.restoreAllMocks())

// One visible password, two byte sequences: precomposed (NFC, most keyboards) and decomposed (NFD, macOS).
const NFC = 'Crème-brûlée-à-la-façon'.normalize('NFC')
const NFD = NFC.normalize('NFD')

describe('passwords are compared in NFC', () => {
  it('the two forms differ as strings (the premise)', () => {
    expect(NFD).not.toBe(NFC)
    expect(NFD.normalize('NFC')).toBe(NFC)
  })

  it('POST /users/login accepts the NFD form of a password registered in NFC', async () => {
    const email = uniqueEmail()
    expect((await send('POST', '/users/register', { fullName: 'Unicode User', email, password: NFC })).status).toBe(201)
    const res = await send('POST', '/users/login', { email, password: NFD })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user.email).toBe(email)
  })

  it('POST /users/login accepts the NFC form of a password registered in NFD', async () => {
    const email = uniqueEmail()
    expect((await send('POST', '/users/register', { fullName: 'Unicode User', email, password: NFD })).status).toBe(201)
    expect((await send('POST', '/users/login', { email, password: NFC })).status).toBe(200)
  })

  it('PATCH /users/changePassword takes the old password in either form, and the new one is stored in NFC', async () => {
    const email = uniqueEmail()
    await send('POST', '/users/register', { fullName: 'Unicode User', email, password: NFC })
    const next = 'Ñandú-über-Øresund'
    const res = await send('PATCH', '/users/changePassword', { email, oldPassword: NFD, newPassword: next.normalize('NFD') })
    expect(res.status).toBe(200)
    expect((await send('POST', '/users/login', { email, password: next.normalize('NFC') })).status).toBe(200)
  })

  it('PATCH /users/changePassword refuses a new password that is the old one in another form', async () => {
    const email = uniqueEmail()
    await send('POST', '/users/register', { fullName: 'Unicode User', email, password: NFC })
    const res = await send('PATCH', '/users/changePassword', { email, oldPassword: NFC, newPassword: NFD })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors[0].path).toBe('newPassword')
  })

  it('POST /users/register checks the 72-byte limit on the NFC form (36 × é: 108 bytes in NFD, 72 in NFC)', async () => {
    const email = uniqueEmail()
    const password = 'é'.repeat(36).normalize('NFD')
    expect(new TextEncoder().encode(password).length).toBe(108)
    expect((await send('POST', '/users/register', { fullName: 'Long Password', email, password })).status).toBe(201)
    expect((await send('POST', '/users/login', { email, password: 'é'.repeat(36) })).status).toBe(200)
  })

  it('an imported legacy hash of the NFC form matches an NFD login, in exactly one comparison', async () => {
    const email = uniqueEmail('legacy')
    const legacy = (await hash(NFC, 4)).replace(/^\$2b\$/, '$2a$') // as bcryptjs wrote it
    const now = new Date().toISOString()
    await env.DB.prepare(
      'INSERT INTO users (id, first_name, last_name, email, password_hash, token_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
    )
      .bind('65a1f0c2b3d4e5f601234567', 'Legacy', 'User', email, legacy, now, now)
      .run()
    const verify = vi.spyOn(passwords, 'verify')
    expect((await send('POST', '/users/login', { email, password: NFD })).status).toBe(200)
    expect(verify).toHaveBeenCalledTimes(1)
    verify.mockClear()
    expect((await send('POST', '/users/login', { email, password: 'Creme-brulee-a-la-facon' })).status).toBe(401)
    expect(verify).toHaveBeenCalledTimes(1) // a refusal is one comparison too, never a second try
  })

  it('ASCII passwords are unaffected', async () => {
    const email = uniqueEmail()
    await send('POST', '/users/register', { fullName: 'Plain Ascii', email, password: 'plain-ascii-pass' })
    expect((await send('POST', '/users/login', { email, password: 'plain-ascii-pass' })).status).toBe(200)
    expect((await send('POST', '/users/login', { email, password: 'PLAIN-ASCII-PASS' })).status).toBe(401)
  })
})
