// The import's plan (scripts/import-users.plan.mjs), record by record and statement by statement,
// inside workerd: the same module the CLI runs in Node.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  BCRYPT_HASH,
  ImportError,
  insertStatements,
  lookupStatements,
  MAX_STATEMENT_BYTES,
  nameOf,
  readExport,
  summaryLines,
  toRow,
  utf8Length,
} from '../../scripts/import-users.plan.mjs'
import { loginSchema } from '../../src/users/users.schemas'
import arrayFixture from '../fixtures/users-export.json?raw'
import ndjsonFixture from '../fixtures/users-export.ndjson?raw'
import { allUsers, d1Import, ndjson, newId, PHP_2Y, PHP_2Y_PASSWORD, runImport } from '../support/import'
import { type Json, send } from '../support/request'
import { uniqueEmail, userRow } from '../support/users'

const NOW = '2026-01-02T03:04:05.000Z'
const doc = (overrides: Json = {}) => ({
  _id: newId(),
  fullName: 'John Doe',
  email: 'john@example.com',
  password: PHP_2Y,
  ...overrides,
})
const rowOf = (d: Json) => {
  const r = toRow(d, NOW)
  if (!('row' in r)) throw new Error(`rejected: ${JSON.stringify(r.problems)}`)
  return r.row
}
const codesOf = (d: Json) => {
  const r = toRow(d, NOW)
  return 'problems' in r ? r.problems.map((p) => p[0]) : []
}

describe('import plan: names', () => {
  it.each([
    [{ fullName: 'John Doe' }, 'John', 'Doe'],
    [{ fullName: '  Grace   Brewster Hopper ' }, 'Grace', 'Brewster Hopper'],
    [{ fullName: 'Cher' }, 'Cher', null],
    [{ fullName: { firstName: ' Ada ', lastName: ' Lovelace ' } }, 'Ada', 'Lovelace'],
    [{ fullName: { firstName: 'Ada' } }, 'Ada', null],
    [{ fullName: { firstName: 'Ada', lastName: '' } }, 'Ada', null],
    [{ fullname: { firstname: 'Alan', lastname: 'Turing' } }, 'Alan', 'Turing'],
    [{ fullname: { firstname: 'Alan', lastname: null } }, 'Alan', null],
    [{ fullName: { firstName: 'Al', lastName: 'X' } }, 'Al', 'X'],
    [{ fullName: { firstName: 'A'.repeat(50) } }, 'A'.repeat(50), null],
  ])('takes %j as first name %j and last name %j, lengths as they are', (name, firstName, lastName) => {
    expect(nameOf(name)).toEqual({ firstName, lastName })
    expect(rowOf(doc({ fullName: undefined, ...name }))).toMatchObject({ firstName, lastName })
  })

  it.each([
    {},
    { fullName: '' },
    { fullName: '   ' },
    { fullName: { lastName: 'Doe' } },
    { fullname: { lastname: 'Doe' } },
    { fullName: 42 },
    { fullName: { firstName: 7 } },
  ])(
    'rejects %j: no first name',
    (name) => {
      expect(codesOf({ ...doc({ fullName: undefined }), ...name })).toEqual(['no-first-name'])
    },
  )

  it('rejects a name with a NUL character or a lone surrogate', () => {
    expect(codesOf(doc({ fullName: 'Nul\u0000 Name' }))).toEqual(['invalid-text'])
    expect(codesOf(doc({ fullName: { firstName: 'Bad', lastName: 'Sur\ud800rogate' } }))).toEqual(['invalid-text'])
  })
})

describe('import plan: ids, emails, passwords, dates', () => {
  it('keeps the ObjectId as a lowercase 24-hex id, from {$oid} or a plain string', () => {
    const [rec] = readExport(ndjson({ ...doc(), _id: { $oid: '65F1A2B3C4D5E6F7A8B90001' } }))
    expect(rowOf(rec.doc as Json).id).toBe('65f1a2b3c4d5e6f7a8b90001')
    expect(rowOf(doc({ _id: '65F1A2B3C4D5E6F7A8B90001' })).id).toBe('65f1a2b3c4d5e6f7a8b90001')
    expect(codesOf(doc({ _id: undefined }))).toEqual(['invalid-id'])
    expect(codesOf(doc({ _id: 'abc' }))).toEqual(['invalid-id'])
    expect(codesOf(doc({ _id: 12345 }))).toEqual(['invalid-id'])
  })

  it('trims and lowercases the email', () => {
    expect(rowOf(doc({ email: '  John.Doe+Tag@Example.COM ' })).email).toBe('john.doe+tag@example.com')
  })

  it('accepts exactly the emails the API accepts at login', () => {
    const emails = ['a@b.co', ' A@B.CO ', 'a@b', 'a..b@c.com', '"q"@x.com', 'a+b@x.io', 'ü@x.de', 'a@localhost']
    emails.push(`${'a'.repeat(250)}@x.io`, 'a b@c.com')
    for (const email of emails) {
      const api = loginSchema.safeParse({ email, password: 'x' }).success
      expect(codesOf(doc({ email })).includes('invalid-email'), email).toBe(!api)
    }
  })

  it.each(['$2a$', '$2b$', '$2y$'])('accepts a %s hash at every cost from 04 to 14, as it is', (prefix) => {
    const body = PHP_2Y.slice(7)
    for (let cost = 4; cost <= 14; cost++) {
      const hash = `${prefix}${String(cost).padStart(2, '0')}$${body}`
      expect(BCRYPT_HASH.test(hash), hash).toBe(true)
      expect(rowOf(doc({ password: hash })).passwordHash).toBe(hash)
    }
  })

  it.each([
    ['plaintext', 'hunter2'],
    ['$2x$ (PHP’s buggy variant)', PHP_2Y.replace('$2y$', '$2x$')],
    ['$2$ (the original, 59 characters)', `$2$10$${PHP_2Y.slice(7, 66)}`],
    ['cost 03', PHP_2Y.replace('$10$', '$03$')],
    ['cost 32', PHP_2Y.replace('$10$', '$32$')],
    ['one character short', PHP_2Y.slice(0, 59)],
    ['surrounded by spaces', ` ${PHP_2Y} `],
    ['a character outside bcrypt’s alphabet', `${PHP_2Y.slice(0, 59)}+`],
    ['an md5 hex digest', '5f4dcc3b5aa765d61d8327deb882cf99'],
    ['a number', 12345678],
  ])('rejects a password that is %s', (_name, password) => {
    expect(codesOf(doc({ password }))).toEqual(['password'])
  })

  it('rejects a missing or empty password', () => {
    expect(codesOf(doc({ password: undefined }))).toEqual(['password'])
    expect(codesOf(doc({ password: '' }))).toEqual(['password'])
  })

  it('reads createdAt/updatedAt in every Extended JSON form, and falls back to the import time', () => {
    const at = '2023-03-01T10:00:00.000Z'
    const ms = String(Date.parse(at))
    const text = [
      { createdAt: { $date: at } }, // v2 relaxed
      { createdAt: { $date: { $numberLong: ms } } }, // v2 canonical
      { createdAt: { $date: Number(ms) } }, // v1
      { createdAt: { $date: '2023-03-01T11:00:00+01:00' } }, // v1 with an offset
    ]
      .map((d) => JSON.stringify({ ...doc(), ...d }))
      .join('\n')
    for (const rec of readExport(text)) expect(rowOf(rec.doc as Json)).toMatchObject({ createdAt: at, updatedAt: at })
    expect(rowOf(doc({ createdAt: new Date(at), updatedAt: new Date('2024-01-01T00:00:00Z') }))).toMatchObject({
      createdAt: at,
      updatedAt: '2024-01-01T00:00:00.000Z',
    })
    expect(rowOf(doc())).toMatchObject({ createdAt: NOW, updatedAt: NOW })
    expect(rowOf(doc({ createdAt: new Date(Number.NaN) }))).toMatchObject({ createdAt: NOW })
  })

  it('lists every problem of a record, the first one as its code', () => {
    const r = toRow({ _id: 'x', email: 'nope', password: 'plain' }, NOW)
    const codes = 'problems' in r && r.problems.map((p) => p[0])
    expect(codes).toEqual(['invalid-id', 'invalid-email', 'password', 'no-first-name'])
  })
})

describe('import plan: reading an export', () => {
  it('numbers NDJSON records by their physical line: blank lines, CRLF and a BOM are fine', () => {
    const text = `\ufeff${JSON.stringify(doc())}\r\n\r\n${JSON.stringify(doc())}\r\n{oops\r\n`
    const records = readExport(text)
    expect(records.map((r) => r.line)).toEqual([1, 3, 4])
    expect(records[2].error).toMatch(/^not JSON: /)
  })

  it('refuses a JSON array without --jsonArray, and a non-array with it: nothing is read', () => {
    expect(() => readExport('[{"a":1}]')).toThrow(ImportError)
    expect(() => readExport(ndjsonFixture, { jsonArray: true })).toThrow(/not a JSON array/)
    expect(() => readExport('{"a":1}', { jsonArray: true })).toThrow(/not a JSON array/)
  })

  it('refuses pretty-printed NDJSON (mongoexport --pretty) instead of rejecting every line of it', () => {
    expect(() => readExport(`\n{\n  "_id": { "$oid": "${newId()}" }\n}\n`)).toThrow(/--pretty/)
    expect(readExport('')).toEqual([])
  })

  it('reads the --jsonArray fixture (canonical EJSON, pretty-printed) as the NDJSON one', () => {
    const fromArray = readExport(arrayFixture, { jsonArray: true })
    const fromLines = readExport(ndjsonFixture).filter((r) => !r.error)
    expect(fromArray).toHaveLength(20)
    expect(fromArray.map((r) => r.element)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(fromArray.map((r) => toRow(r.doc as Json, NOW))).toEqual(fromLines.map((r) => toRow(r.doc as Json, NOW)))
  })
})

describe('import plan: SQL', () => {
  const nasty = [
    "O'Brien",
    "'; DROP TABLE users; --",
    'Back\\slash "quoted" `tick`',
    '$dollar$ $$ /* not a comment */',
    'Zoë 李 🙂',
    ' BEGIN CASE END ',
  ]

  it('writes every value back exactly, with no statement over D1’s 100 KB and no bound parameter', async () => {
    const docs = Array.from({ length: 3000 }, (_, i) => ({
      _id: { $oid: newId() },
      fullName: {
        firstName: `${nasty[i % nasty.length]}${i}`,
        lastName: `${'é'.repeat(i % 15)}${nasty[(i + 3) % nasty.length]}`,
      },
      email: uniqueEmail(`sql${i}`),
      password: PHP_2Y,
      createdAt: { $date: '2020-02-02T02:02:02.000Z' },
    }))
    const expected = docs.map((d) => rowOf(readExport(JSON.stringify(d))[0].doc as Json))
    for (const maxBytes of [MAX_STATEMENT_BYTES, 2_000]) {
      const statements = insertStatements(expected, { maxBytes })
      expect(statements.length).toBeGreaterThan(1)
      for (const s of statements) expect(utf8Length(s)).toBeLessThanOrEqual(maxBytes)
      expect(new TextEncoder().encode(statements.join('')).length).toBe(statements.reduce((n, s) => n + utf8Length(s), 0))
    }
    const report = await runImport(ndjson(...docs), { statementBytes: MAX_STATEMENT_BYTES })
    expect(report).toMatchObject({ input: 3000, imported: 3000, rejected: 0 })
    const rows = new Map((await allUsers()).map((r) => [r.id, r]))
    for (const e of expected) {
      expect(rows.get(e.id)).toMatchObject({
        first_name: e.firstName,
        last_name: e.lastName,
        email: e.email,
        password_hash: e.passwordHash,
        created_at: '2020-02-02T02:02:02.000Z',
      })
    }
    expect(await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'users'").first('name')).toBe('users')
  })

  it('looks accounts up by id or email in statements under the limit', () => {
    const records = Array.from({ length: 5000 }, () => ({ id: newId(), email: uniqueEmail('lookup') }))
    const statements = lookupStatements(records)
    expect(statements.length).toBeGreaterThan(1)
    for (const s of statements) expect(utf8Length(s)).toBeLessThanOrEqual(30_000)
    expect(statements.join(',').match(/X'[0-9a-f]{48}'/g)).toHaveLength(5000)
  })

  it('rejects a record with a 100,000-character name, and imports the rest', async () => {
    const huge = {
      _id: { $oid: newId() },
      fullName: { firstName: 'x'.repeat(100_000) },
      email: uniqueEmail('huge'),
      password: PHP_2Y,
    }
    const fine = { _id: { $oid: newId() }, fullName: 'Fine Person', email: uniqueEmail('fine'), password: PHP_2Y }
    const report = await runImport(ndjson(huge, fine))
    expect(report).toMatchObject({ input: 2, imported: 1, rejected: 1 })
    expect(report.rejects[0]).toMatchObject({ line: 1, code: 'name-too-long' })
    expect(await userRow(huge._id.$oid)).toBeNull()
  })
})

describe('npm run import-users --jsonArray, verified by reading back (the --remote path)', () => {
  it('imports the array fixture; its users log in with their old passwords', async () => {
    const report = await runImport(arrayFixture, { jsonArray: true }, d1Import({ returning: false }))
    // The NDJSON fixture's outcome, less its two unparseable lines; line 16's email is free here.
    expect(report).toMatchObject({ input: 20, imported: 8, present: 0, rejected: 12 })
    expect(report.rejects.map((r) => r.element)).toEqual([8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20])
    const res = await send('POST', '/users/login', { email: 'rasmus@example.com', password: PHP_2Y_PASSWORD })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user._id).toBe('65f1a2b3c4d5e6f7a8b90003')
    const again = await runImport(arrayFixture, { jsonArray: true }, d1Import({ returning: false }))
    expect(again).toMatchObject({ input: 20, imported: 0, present: 8, rejected: 12 })
  })
})

describe('npm run import-users summary: bcrypt costs against BCRYPT_COST', () => {
  const at = (cost: number) => `$2b$${String(cost).padStart(2, '0')}$${'a'.repeat(53)}`
  const users = (...costs: number[]) =>
    ndjson(...costs.map((cost) => doc({ _id: newId(), email: uniqueEmail(`cost${cost}`), password: at(cost) })))

  it('counts the hashes at another cost than BCRYPT_COST (those above 14 are rejected)', async () => {
    const report = await runImport(users(10, 10, 12, 7, 15, 31), { dryRun: true })
    expect(report.costs).toEqual({ 7: 1, 10: 2, 12: 1 })
    const lines = summaryLines(report, { bcryptCost: 10, costFrom: 'BCRYPT_COST of [env.production.vars]' })
    expect(lines).toContain('  bcrypt cost of the new hashes: 7 (1), 10 (2), 12 (1)')
    expect(lines.join('\n')).toContain(
      '  2 of them at another cost than BCRYPT_COST of [env.production.vars] (10): each is re-hashed at 10 at its user\'s next login;\n' +
        '    until then a wrong password for them is refused faster or slower than an unknown email',
    )
    // Another configured cost: other hashes are the odd ones out.
    expect(summaryLines(report, { bcryptCost: 12 }).join('\n')).toContain('  3 of them at another cost than BCRYPT_COST (12)')
  })

  it('says nothing more when every hash is at BCRYPT_COST', async () => {
    const even = summaryLines(await runImport(users(10, 10), { dryRun: true }), { bcryptCost: 10 }).join('\n')
    expect(even).not.toContain('another cost')
  })
})
