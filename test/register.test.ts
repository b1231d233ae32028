import { describe, expect, it } from 'vitest'
import { type Json, PASSWORD, PREFIXES, paths, send, uniqueEmail, userCount, userRow } from './helpers'

const register = (prefix: string, body: unknown) => send('POST', `${prefix}/register`, body)

const USER_KEYS = ['_id', 'createdAt', 'email', 'emailVerified', 'fullName', 'profilePic', 'socketId', 'updatedAt']
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe.each(PREFIXES)('POST %s/register', (prefix) => {
  it('answers 201 with message, user, token and the session cookie', async () => {
    const email = uniqueEmail()
    const res = await register(prefix, { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: PASSWORD })
    expect(res.status).toBe(201)
    const json = (await res.json()) as Json
    expect(json.message).toBe('User registered successfully')
    expect(Object.keys(json.user).sort()).toEqual(USER_KEYS)
    expect(json.user).toMatchObject({
      fullName: { firstName: 'John', lastName: 'Doe' },
      email,
      profilePic: null,
      socketId: null,
    })
    expect(json.user._id).toMatch(UUID)
    expect(json.user.createdAt).toMatch(ISO)
    expect(json.user.updatedAt).toBe(json.user.createdAt)
    expect(json.token.split('.')).toHaveLength(3)
    expect(res.headers.get('Set-Cookie')).toContain(`__Host-token=${json.token}`)
    // Stored as a bcrypt hash, never the password itself.
    const row = await userRow(json.user._id)
    expect(row?.password_hash).toMatch(/^\$2[aby]\$\d\d\$/)
    expect(row?.password_hash).not.toContain(PASSWORD)
  })

  it('never returns the password or its hash', async () => {
    const res = await register(prefix, { fullName: 'Jane Roe', email: uniqueEmail(), password: PASSWORD })
    const text = await res.text()
    expect(res.status).toBe(201)
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toMatch(/\$2[aby]\$/)
    expect(text).not.toMatch(/password/i)
  })

  it('accepts fullName as { firstName, lastName }', async () => {
    const res = await register(prefix, { fullName: { firstName: 'Alice', lastName: 'Smith' }, email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Alice', lastName: 'Smith' })
  })

  it('accepts the legacy fullname as { firstname, lastname }', async () => {
    const res = await register(prefix, { fullname: { firstname: 'Alice', lastname: 'Smith' }, email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Alice', lastName: 'Smith' })
  })

  it('accepts fullName as a string, split at the first run of whitespace', async () => {
    const res = await register(prefix, { fullName: '  Mary \t Ann  Lee ', email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Mary', lastName: 'Ann  Lee' })
  })

  it('accepts a one-word string name as firstName with no lastName', async () => {
    const res = await register(prefix, { fullName: 'Madonna', email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Madonna', lastName: null })
  })

  it.each([
    ['absent', {}],
    ['null', { lastName: null }],
    ['empty', { lastName: '' }],
    ['blank', { lastName: '   ' }],
  ])('treats a %s lastName as none', async (_, extra) => {
    const res = await register(prefix, { fullName: { firstName: 'Alice', ...extra }, email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Alice', lastName: null })
  })

  it('trims names', async () => {
    const res = await register(prefix, { fullName: { firstName: '  Alice ', lastName: ' Smith  ' }, email: uniqueEmail(), password: PASSWORD })
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Alice', lastName: 'Smith' })
  })

  it('trims and lowercases the email before storing it', async () => {
    const email = uniqueEmail('MiXeD').toUpperCase()
    const res = await register(prefix, { fullName: 'John Doe', email: `  ${email} `, password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.email).toBe(email.toLowerCase())
  })

  it('answers 409 for an email that exists, whatever its case', async () => {
    const email = uniqueEmail()
    expect((await register(prefix, { fullName: 'John Doe', email, password: PASSWORD })).status).toBe(201)
    const res = await register(prefix, { fullName: 'Other Person', email: ` ${email.toUpperCase()}`, password: PASSWORD })
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({ status: 409, message: 'User already exists', code: 'USER_EXISTS' })
    expect(await userCount(email)).toBe(1)
  })

  it('gives exactly one 201 for a burst of simultaneous registrations of one email', async () => {
    const email = uniqueEmail('burst')
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register(prefix, { fullName: `Racer Number${i}`, email, password: PASSWORD })),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(409)])
    expect(await userCount(email)).toBe(1)
  })
})

describe('POST /users/register validation', () => {
  const valid = () => ({ fullName: { firstName: 'John', lastName: 'Doe' }, email: uniqueEmail(), password: PASSWORD })

  async function expectInvalid(body: unknown, expected: Record<string, RegExp | string>) {
    const res = await register('/users', body)
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.status).toBe(400)
    expect(json.message).toBe('Validation failed')
    expect(paths(json).sort()).toEqual(Object.keys(expected).sort())
    for (const e of json.errors) {
      expect(e).toEqual({ msg: expect.any(String), param: e.path, path: e.path, location: 'body' })
      expect(e.msg).toMatch(expected[e.path])
    }
    return json
  }

  it.each([
    ['too short', { firstName: 'Jo', lastName: 'Doe' }, 'fullName.firstName', /at least 3/],
    ['too long', { firstName: 'J'.repeat(51), lastName: 'Doe' }, 'fullName.firstName', /at most 50/],
    ['short after trimming', { firstName: '  Jo  ', lastName: 'Doe' }, 'fullName.firstName', /at least 3/],
    ['missing', { lastName: 'Doe' }, 'fullName.firstName', /required/],
    ['not a string', { firstName: 42, lastName: 'Doe' }, 'fullName.firstName', /string/],
  ])('rejects a firstName that is %s', async (_, fullName, path, msg) => {
    await expectInvalid({ ...valid(), fullName }, { [path]: msg })
  })

  it.each([
    ['too short', 'Do', /at least 3/],
    ['too long', 'D'.repeat(51), /at most 50/],
    ['not a string', 7, /string/],
  ])('rejects a lastName that is %s', async (_, lastName, msg) => {
    await expectInvalid({ ...valid(), fullName: { firstName: 'John', lastName } }, { 'fullName.lastName': msg })
  })

  it('reports legacy fullname errors under the canonical paths', async () => {
    await expectInvalid(
      { ...valid(), fullName: undefined, fullname: { firstname: 'Jo', lastname: 'Do' } },
      { 'fullName.firstName': /at least 3/, 'fullName.lastName': /at least 3/ },
    )
  })

  it('rejects a string name under 3 characters as fullName', async () => {
    await expectInvalid({ ...valid(), fullName: ' Al ' }, { fullName: /at least 3/ })
  })

  it('applies the firstName rules to the first word of a string name', async () => {
    await expectInvalid({ ...valid(), fullName: 'Al Smith' }, { 'fullName.firstName': /at least 3/ })
  })

  it.each([
    ['missing', undefined, /required/],
    ['a number', 5, /string or an object/],
    ['an array', ['John', 'Doe'], /string or an object/],
  ])('rejects a fullName that is %s', async (_, fullName, msg) => {
    await expectInvalid({ ...valid(), fullName }, { fullName: msg })
  })

  it('accepts an email of exactly 254 characters', async () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`
    expect(email).toHaveLength(254)
    const res = await send('POST', '/users/register', { ...valid(), email })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.email).toBe(email)
  })

  it.each([
    ['missing', undefined, /required/],
    ['not an email', 'not-an-email', /valid email/],
    ['over 254 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`, /at most 254/],
    ['a number', 12, /string/],
  ])('rejects an email that is %s', async (_, email, msg) => {
    await expectInvalid({ ...valid(), email }, { email: msg })
  })

  it.each([
    ['missing', undefined, /required/],
    ['7 characters', 'abcdefg', /at least 8/],
    ['73 bytes of UTF-8', 'a'.repeat(73), /72 bytes/],
    ['37 two-byte characters (74 bytes)', 'é'.repeat(37), /72 bytes/],
    ['a number', 12345678, /string/],
  ])('rejects a password that is %s', async (_, password, msg) => {
    await expectInvalid({ ...valid(), password }, { password: msg })
  })

  it('accepts a password of exactly 72 bytes and one of 8 characters', async () => {
    expect((await register('/users', { ...valid(), password: 'é'.repeat(36) })).status).toBe(201)
    expect((await register('/users', { ...valid(), password: '12345678' })).status).toBe(201)
  })

  it('reports one entry per failing field', async () => {
    const json = await expectInvalid(
      { fullName: { firstName: 'J', lastName: 'D' }, email: 'x', password: 'é'.repeat(2) },
      { 'fullName.firstName': /./, 'fullName.lastName': /./, email: /./, password: /./ },
    )
    expect(json.errors).toHaveLength(4)
  })

  it('writes nothing when validation fails', async () => {
    const email = uniqueEmail()
    await expectInvalid({ ...valid(), email, password: 'short' }, { password: /at least 8/ })
    expect(await userCount(email)).toBe(0)
  })
})
