// POST /register: its answers and validation; then the rules for names (a name must show something,
// and must not hide control characters or reorder text), which PATCH /profile applies too.
import { describe, expect, it } from 'vitest'
import { bearer, call, type Json, jsonInit, PREFIXES, send } from '../support/request'
import { PASSWORD, paths, registered, uniqueEmail, userCount, userRow } from '../support/users'

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

const registerNamed = (body: Json) => send('POST', '/users/register', { email: uniqueEmail(), password: PASSWORD, ...body })

/** One 400 on `path`, whose message matches `msg`, and no user written. */
async function expectRefused(body: Json, path: string, msg: RegExp) {
  const email = uniqueEmail()
  const res = await send('POST', '/users/register', { email, password: PASSWORD, ...body })
  expect(res.status).toBe(400)
  const json = (await res.json()) as Json
  expect(json.message).toBe('Validation failed')
  expect(json.errors).toEqual([{ msg: expect.stringMatching(msg), param: path, path, location: 'body' }])
  expect(await userCount(email)).toBe(0)
}

const INVISIBLE: [string, string][] = [
  ['zero-width spaces', '\u200b\u200b\u200b'],
  ['zero-width joiners and non-joiners', '\u200c\u200d\u200c\u200d'],
  ['Hangul fillers (U+3164)', '\u3164\u3164\u3164'],
  ['halfwidth Hangul fillers (U+FFA0)', '\uffa0\uffa0\uffa0'],
  ['braille blanks (U+2800)', '\u2800\u2800\u2800'],
  ['word joiners', '\u2060\u2060\u2060'],
  ['a mix of them', '\u200b\u3164\u2800\u00ad'],
]

const CONTROLS: [string, string][] = [
  ['a NUL (C0)', 'Jo\u0000hn'],
  ['a bell (C0)', 'Jo\u0007hn'],
  ['a tab (C0)', 'Jo\thn'],
  ['a DEL', 'Jo\u007fhn'],
  ['a NEL (C1)', 'Jo\u0085hn'],
  ['a CSI (C1)', 'Jo\u009bhn'],
]

const BIDI: [string, string][] = [
  ['a right-to-left override (U+202E)', 'Ali\u202eecil'],
  ['a left-to-right override (U+202D)', 'Ali\u202dce'],
  ['a right-to-left embedding (U+202B)', 'Ali\u202bce'],
  ['a pop directional formatting (U+202C)', 'Alice\u202c'],
  ['a right-to-left isolate (U+2067)', 'Ali\u2067ce\u2069'],
  ['a first-strong isolate (U+2068)', '\u2068Alice'],
]

describe('POST /users/register refuses names with nothing visible', () => {
  it.each(INVISIBLE)('firstName made of %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: name, lastName: 'Doe' } }, 'fullName.firstName', /visible character/)
  })

  it.each(INVISIBLE)('lastName made of %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: 'John', lastName: name } }, 'fullName.lastName', /visible character/)
  })

  it('a string fullName whose first word is invisible, under the canonical path', async () => {
    await expectRefused({ fullName: '\u3164\u3164\u3164 Doe' }, 'fullName.firstName', /visible character/)
  })

  it('the legacy fullname shape, under the canonical path', async () => {
    await expectRefused({ fullname: { firstname: 'John', lastname: '\u200b\u200b\u200b' } }, 'fullName.lastName', /visible character/)
  })
})

describe('POST /users/register refuses names with control characters', () => {
  it.each(CONTROLS)('firstName with %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: name, lastName: 'Doe' } }, 'fullName.firstName', /control characters/)
  })

  it.each(BIDI)('firstName with %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: name, lastName: 'Doe' } }, 'fullName.firstName', /control characters/)
  })

  it.each(BIDI)('lastName with %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: 'John', lastName: name } }, 'fullName.lastName', /control characters/)
  })

  it('a string fullName whose last part hides an override', async () => {
    await expectRefused({ fullName: 'John \u202eeoD' }, 'fullName.lastName', /control characters/)
  })
})

describe('POST /users/register keeps accepting real names', () => {
  it.each([
    ['accents', 'Zoë', 'Müller-Lüdenscheidt'],
    ['an apostrophe and a hyphen', "D'Arcy", "O'Brien-Smith"],
    ['Spanish', 'José María', 'Ñúñez'],
    ['Vietnamese', 'Nguyễn', 'Thị Minh'],
    ['Chinese', '李小龍', '欧阳娜娜'],
    ['Japanese', 'さくら', '山田太郎'],
    ['Arabic', 'محمد', 'عبد الله'],
    ['Hebrew', 'אברהם', 'כהן'],
    ['Persian with a zero-width non-joiner', 'فاطمه‌زهرا', 'رضایی'],
    ['Hindi with a virama', 'क्षितिज', 'शर्मा'],
    ['Nordic and Polish', 'Søren', 'Łukasiewicz'],
    ['Greek and Cyrillic', 'Ελένη', 'Достоевский'],
  ])('%s', async (_, firstName, lastName) => {
    const res = await registerNamed({ fullName: { firstName, lastName } })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName, lastName })
  })

  it('a string fullName in Arabic script is split as before', async () => {
    const res = await registerNamed({ fullName: 'محمد عبد الله' })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'محمد', lastName: 'عبد الله' })
  })
})

// Names a first version of these rules still let through: text with no UTF-8 form, and line breaks.
describe('POST /users/register refuses what is not text, or breaks a line', () => {
  it('a lone surrogate (JSON "\\ud800"), which has no UTF-8 form', async () => {
    await expectRefused({ fullName: { firstName: 'Jo\ud800hn', lastName: 'Doe' } }, 'fullName.firstName', /valid Unicode text/)
  })

  it('a lone low surrogate in a string fullName, under the canonical path', async () => {
    await expectRefused({ fullName: 'John Do\udc00e' }, 'fullName.lastName', /valid Unicode text/)
  })

  it.each([
    ['a line separator (U+2028)', 'Jo\u2028hn'],
    ['a paragraph separator (U+2029)', 'Jo\u2029hn'],
  ])('firstName with %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: name, lastName: 'Doe' } }, 'fullName.firstName', /control characters/)
  })

  it.each([
    ['private-use characters', '\ue000\ue001\uf8ff'],
    ['unassigned code points', '\u0378\u0379\u0380'],
  ])('lastName made only of %s', async (_, name) => {
    await expectRefused({ fullName: { firstName: 'John', lastName: name } }, 'fullName.lastName', /visible character/)
  })
})

describe('names are stored in NFC', () => {
  it('a name typed in NFD (macOS input) is stored and answered in its NFC form', async () => {
    const res = await registerNamed({ fullName: { firstName: 'Zoe\u0308', lastName: 'Mu\u0308ller' } })
    expect(res.status).toBe(201)
    const { user } = (await res.json()) as Json
    expect(user.fullName).toEqual({ firstName: 'Zo\u00eb', lastName: 'M\u00fcller' })
    expect(await userRow(user._id)).toMatchObject({ first_name: 'Zo\u00eb', last_name: 'M\u00fcller' })
  })
})

describe('PATCH /users/profile applies the same name rules', () => {
  it.each([
    ['a lone surrogate', { firstName: 'Jo\ud800hn' }, /valid Unicode text/],
    ['a right-to-left override', { firstName: 'Ali\u202eecil' }, /control characters/],
    ['nothing visible', { firstName: '\u3164\u3164\u3164' }, /visible character/],
  ])('refuses %s with 400 on fullName.firstName; the stored name is unchanged', async (_, fullName, msg) => {
    const { token, json: { user } } = await registered('/users')
    const res = await call('/users/profile', jsonInit('PATCH', { fullName }, bearer(token)))
    expect(res.status).toBe(400)
    const json = (await res.json()) as Json
    expect(json.errors).toEqual([expect.objectContaining({ msg: expect.stringMatching(msg), path: 'fullName.firstName' })])
    expect((await userRow(user._id))?.first_name).toBe(user.fullName.firstName)
  })

  it('stores an NFD name in NFC', async () => {
    const { token, json: { user } } = await registered('/users')
    const res = await call('/users/profile', jsonInit('PATCH', { fullName: { firstName: 'Jose\u0301', lastName: 'Nu\u0301n\u0303ez' } }, bearer(token)))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user.fullName).toEqual({ firstName: 'Jos\u00e9', lastName: 'N\u00fa\u00f1ez' })
    expect((await userRow(user._id))?.first_name).toBe('Jos\u00e9')
  })
})
