// Passwords: the same visible password matches whatever Unicode form the keyboard produced; bcrypt at
// the configured cost (a login re-hashes at a new cost); the optional common-password list.
import { env } from 'cloudflare:workers'
import { getRounds, hash } from 'bcrypt-ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { bearer, call, callWith, type Json, jsonInit, send } from '../support/request'
import { PASSWORD, registered, uniqueEmail, userRow } from '../support/users'

afterEach(() => vi.restoreAllMocks())

// One visible password, two byte sequences: precomposed (NFC, most keyboards) and decomposed (NFD, macOS).
const NFC = 'Crème-brûlée-à-la-façon'.normalize('NFC')
const NFD = NFC.normalize('NFD')

const register = (email = uniqueEmail(), password = PASSWORD) =>
  jsonInit('POST', { fullName: 'John Doe', email, password })

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

describe('bcrypt cost', () => {
  it.each(['4', '9', '15'])('BCRYPT_COST=%s outside tests fails closed with a clear log', async (cost) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await callWith({ ENVIRONMENT: undefined, BCRYPT_COST: cost }, '/users/register', register())
    expect(res.status).toBe(500)
    expect(log.mock.calls.flat().join(' ')).toMatch(/BCRYPT_COST must be between 10 and 14/)
  })

  it('a login with a hash made at another cost upgrades the hash in place and keeps sessions', async () => {
    const { email, token, json } = await registered() // hashed at the test cost, 4
    expect(getRounds((await userRow(json.user._id))?.password_hash)).toBe(4)
    const res = await callWith({ BCRYPT_COST: '5' }, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(res.status).toBe(200)
    const row = await userRow(json.user._id)
    expect(getRounds(row?.password_hash)).toBe(5)
    expect(row?.token_version).toBe(0)
    expect((await call('/users/profile', { headers: bearer(token) })).status).toBe(200)
    // The upgraded hash still verifies the same password.
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
  })

  it('a login at the configured cost leaves the hash alone', async () => {
    const { email, json } = await registered()
    const before = (await userRow(json.user._id))?.password_hash
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
    expect((await userRow(json.user._id))?.password_hash).toBe(before)
  })
})

describe('PASSWORD_BLOCKLIST', () => {
  const common = 'password1' // in the top 10,000, and long enough for the length rule

  it('is off by default: a common password registers', async () => {
    expect(env.PASSWORD_BLOCKLIST).toBe('off')
    expect((await call('/users/register', register(uniqueEmail(), common))).status).toBe(201)
  })

  it('"common" rejects a common password at register with a 400 on the field, writing nothing', async () => {
    const email = uniqueEmail()
    const res = await callWith({ PASSWORD_BLOCKLIST: 'common' }, '/users/register', register(email, 'PassWord1'))
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.message).toBe('Validation failed')
    expect(json.errors).toEqual([{ msg: expect.stringMatching(/too common/), param: 'password', path: 'password', location: 'body' }])
    expect((await send('POST', '/users/login', { email, password: 'PassWord1' })).status).toBe(401)
  })

  it('"common" rejects a common newPassword at change password', async () => {
    const { email } = await registered()
    const res = await callWith(
      { PASSWORD_BLOCKLIST: 'common' },
      '/users/changePassword',
      jsonInit('PATCH', { email, oldPassword: PASSWORD, newPassword: common }),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors[0].path).toBe('newPassword')
    expect((await send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
  })

  it('"common" lets an uncommon password through', async () => {
    const res = await callWith({ PASSWORD_BLOCKLIST: 'common' }, '/users/register', register(uniqueEmail(), 'plum-kettle-orbit-77'))
    expect(res.status).toBe(201)
  })
})
