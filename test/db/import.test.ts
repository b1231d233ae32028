// `npm run import-users` end to end inside workerd: the committed mongoexport fixture goes through
// the import's own plan and SQL into local D1, then the users log in through the API. The plan's own
// tests import the same fixture, so they have a file (and a database) of their own: import-plan.
import { beforeAll, describe, expect, it } from 'vitest'
import { type ImportReport, summaryLines } from '../../scripts/import-users.plan.mjs'
import fixture from '../fixtures/users-export.ndjson?raw'
import { allUsers, d1Import, ndjson, newId, PHP_2Y, PHP_2Y_COST_7, PHP_2Y_PASSWORD, runImport } from '../support/import'
import { bearer, type Json, send } from '../support/request'
import { claimsOf, uniqueEmail, userRow } from '../support/users'

const NOW = '2026-01-02T03:04:05.000Z'
const id = (n: number) => `65f1a2b3c4d5e6f7a8b9${n.toString(16).padStart(4, '0')}`

/** The fixture's users that must be imported (test/fixtures/make-users-export.mjs made them). */
const IMPORTED = [
  {
    line: 1, email: 'ada.lovelace@example.com', password: 'analytical-engine',
    firstName: 'Ada', lastName: 'Lovelace',
    createdAt: '2023-03-01T10:00:00.000Z', updatedAt: '2023-03-28T10:40:00.000Z',
    prefix: '$2b$10$',
  },
  {
    line: 2, email: 'alan@example.com', password: 'enigma-machine',
    firstName: 'Alan', lastName: 'Turing',
    createdAt: '2020-01-01T00:00:00.000Z', updatedAt: '2020-01-01T00:00:00.000Z',
    prefix: '$2a$10$',
  },
  {
    line: 3, email: 'rasmus@example.com', password: 'rasmuslerdorf',
    firstName: 'Rasmus', lastName: 'Lerdorf',
    createdAt: '2010-01-01T00:00:00.000Z', updatedAt: '2010-01-01T00:00:00.000Z',
    prefix: '$2y$10$',
  },
  {
    line: 4, email: 'grace@example.com', password: 'cobol-1959',
    firstName: 'Grace', lastName: 'Brewster Hopper',
    createdAt: NOW, updatedAt: NOW,
    prefix: '$2b$12$',
  },
  {
    line: 5, email: 'al@example.com', password: 'abc123',
    firstName: 'Al', lastName: 'X',
    createdAt: NOW, updatedAt: NOW,
    prefix: '$2b$10$',
  },
  {
    line: 6, email: 'bart@example.com', password: 'long-name-pass',
    firstName: 'Bartholomew-Maximilian-Alexander-Montgomery-Ferris', lastName: null,
    createdAt: NOW, updatedAt: NOW,
    prefix: '$2b$10$',
  },
  {
    line: 7, email: 'sean@example.com', password: 'rasmuslerdorf',
    firstName: 'Seán', lastName: "O'Brien",
    createdAt: '2021-06-15T08:30:00.000Z', updatedAt: '2021-06-15T08:30:00.000Z',
    prefix: '$2y$07$',
  },
].map((u) => ({ ...u, id: id(u.line) }))

/** Every other line of the fixture, with the reason it must be rejected for. */
const REJECTED: [number, string, RegExp][] = [
  [8, 'duplicate-email', /^email differs only in case from line 9 \(_id 65f1a2b3c4d5e6f7a8b90009\)$/],
  [9, 'duplicate-email', /^email differs only in case from line 8 /],
  [10, 'password', /^password is not a bcrypt hash/],
  [11, 'password', /^password is missing$/],
  [12, 'not-json', /^not JSON: /],
  [13, 'invalid-email', /^email is not a valid address$/],
  [14, 'invalid-email', /^email is missing$/],
  [15, 'no-first-name', /^no first name/],
  [16, 'email-taken', /^email taken by another id \([0-9a-f-]{36}\)$/],
  [17, 'duplicate-id', /^the same _id as line 1$/],
  [18, 'invalid-id', /^_id is not an ObjectId/],
  [19, 'password', /^password is not a bcrypt hash/],
  [20, 'password', /^password is not a bcrypt hash/],
  [21, 'not-json', /^not valid Extended JSON: /],
  [22, 'not-an-object', /^not a JSON object$/],
]

const TAKEN = { fullName: 'Taken Owner', email: 'taken@example.com', password: 'owner-password-1' }
let first: ImportReport
let rowsAfterFirst: Json[]
let owner: Json

beforeAll(async () => {
  // An account that exists before the import, holding the email of line 16.
  const res = await send('POST', '/users/register', TAKEN)
  owner = ((await res.json()) as Json).user
  first = await runImport(fixture, { now: NOW })
  rowsAfterFirst = await allUsers()
})

const login = (email: string, password: string) => send('POST', '/users/login', { email, password })

describe('npm run import-users (the fixture export, into local D1)', () => {
  it('counts 7 imported, 0 present, 15 rejected of 22 records, and they add up', () => {
    expect(first).toMatchObject({ input: 22, imported: 7, present: 0, rejected: 15, wouldImport: 0 })
    expect(first.imported + first.present + first.rejected).toBe(first.input)
    expect(first.byReason).toEqual({
      'not-json': 2,
      'not-an-object': 1,
      'invalid-id': 1,
      'duplicate-id': 1,
      'invalid-email': 2,
      'duplicate-email': 2,
      'email-taken': 1,
      password: 4,
      'no-first-name': 1,
    })
    expect(first.costs).toEqual({ 7: 1, 10: 5, 12: 1 })
  })

  it('rejects every other line with its line number and reason', () => {
    expect(first.rejects.map((r) => [r.line, r.code])).toEqual(REJECTED.map(([line, code]) => [line, code]))
    for (const [line, , reason] of REJECTED) {
      expect(first.rejects.find((r) => r.line === line)?.reason, `line ${line}`).toMatch(reason)
    }
  })

  it('writes a line that is not JSON to the rejects as its text, and never a plaintext password', () => {
    const cut = first.rejects.find((r) => r.line === 12)
    expect(cut?.text).toMatch(/^\{"_id":\{"\$oid":"65f1a2b3c4d5e6f7a8b9000c"\}.*"password":$/)
    const plain = first.rejects.find((r) => r.line === 10)
    expect(plain?.record).toMatchObject({ _id: { $oid: id(10) }, email: 'plain@example.com' })
    expect(JSON.stringify(first.rejects)).not.toContain('hunter2')
  })

  it('stores each user under its Mongo _id, email trimmed and lowercased, hash and names as exported', () => {
    for (const u of IMPORTED) {
      const row = rowsAfterFirst.find((r) => r.id === u.id)
      expect(row, u.email).toMatchObject({
        email: u.email,
        first_name: u.firstName,
        last_name: u.lastName,
        token_version: 0,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
      })
      expect(row?.password_hash.startsWith(u.prefix), u.email).toBe(true)
      expect(row?.password_hash).toHaveLength(60)
    }
    // Nothing else was written: the imported users and the account that existed before.
    expect(rowsAfterFirst.map((r) => r.id).sort()).toEqual([...IMPORTED.map((u) => u.id), owner._id].sort())
  })

  it.each(IMPORTED)('POST /users/login: $email logs in with the old password; _id and sub are the Mongo id', async (u) => {
    const res = await login(u.email, u.password)
    expect(res.status).toBe(200)
    const json = (await res.json()) as Json
    expect(json.user).toEqual({
      _id: u.id,
      fullName: { firstName: u.firstName, lastName: u.lastName },
      email: u.email,
      profilePic: null,
      socketId: null,
      emailVerified: false, // imported addresses are unproven until a verification or a reset
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    })
    expect(claimsOf(json.token).sub).toBe(u.id)
    const profile = await send('GET', '/users/profile', undefined, bearer(json.token))
    expect(profile.status).toBe(200)
    expect(((await profile.json()) as Json).user._id).toBe(u.id)
    // Any case and spacing of the email finds the imported account, as for registered ones.
    expect((await login(` ${u.email.toUpperCase()} `, u.password)).status).toBe(200)
  })

  it('POST /users/login: a wrong password for an imported user is the same 401 as an unknown email', async () => {
    const wrong = await login('alan@example.com', 'enigma-machinE')
    const unknown = await login(uniqueEmail('ghost'), 'enigma-machine')
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
  })

  it('never overwrites an existing account: the email holder keeps its id, hash and name', async () => {
    const row = await userRow(owner._id)
    expect(row).toMatchObject({ email: 'taken@example.com', first_name: 'Taken', last_name: 'Owner' })
    expect((await login('taken@example.com', 'taken-pass')).status).toBe(401)
    const res = await login('taken@example.com', TAKEN.password)
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user._id).toBe(owner._id)
  })

  it('a second run is a no-op: 7 present, the same rejects, every row unchanged', async () => {
    const before = await allUsers()
    const db = d1Import()
    const again = await runImport(fixture, { now: '2030-01-01T00:00:00.000Z' }, db)
    expect(again).toMatchObject({ input: 22, imported: 0, present: 7, rejected: 15 })
    // The logins above re-hashed the imported users at BCRYPT_COST (4 here): those are present but different.
    const rehashed = IMPORTED.filter(
      (u) => before.find((r) => r.id === u.id)?.password_hash !== rowsAfterFirst.find((r) => r.id === u.id)?.password_hash,
    )
    expect(rehashed.length).toBeGreaterThan(0)
    expect(again.presentDifferent).toBe(rehashed.length)
    expect(again.rejects.map((r) => [r.line, r.code])).toEqual(first.rejects.map((r) => [r.line, r.code]))
    expect(db.executed).toEqual([]) // nothing left to insert: not even a statement was sent
    expect(await allUsers()).toEqual(before)
  })
})

describe('npm run import-users against accounts that exist', () => {
  it('rejects a record whose _id exists with another email (id-taken) and changes nothing', async () => {
    const u = { _id: { $oid: newId() }, fullName: 'First Owner', email: uniqueEmail('first'), password: PHP_2Y }
    expect(await runImport(ndjson(u))).toMatchObject({ imported: 1 })
    const before = await allUsers()
    const report = await runImport(ndjson({ ...u, email: uniqueEmail('second'), fullName: 'Second Owner' }))
    expect(report).toMatchObject({ input: 1, imported: 0, present: 0, rejected: 1 })
    expect(report.rejects[0]).toMatchObject({ line: 1, code: 'id-taken' })
    expect(report.rejects[0].reason).toBe(`_id belongs to an existing account with another email (${u.email})`)
    expect(await allUsers()).toEqual(before)
  })

  it('counts the same _id and email with another hash as present, and keeps the stored hash', async () => {
    const u = { _id: { $oid: newId() }, fullName: 'Kept Hash', email: uniqueEmail('kept'), password: PHP_2Y }
    await runImport(ndjson(u))
    const changed = { ...u, email: u.email.toUpperCase(), password: PHP_2Y_COST_7 }
    const report = await runImport(ndjson(changed))
    expect(report).toMatchObject({ input: 1, imported: 0, present: 1, presentDifferent: 1, rejected: 0 })
    expect((await userRow(u._id.$oid))?.password_hash).toBe(PHP_2Y)
    expect(summaryLines(report)).toContain(
      '           1  present but different: the export has another hash or name; nothing was changed (an existing account is never overwritten)',
    )
  })

  it('counts present but different only where the hash or a name differs from the account', async () => {
    const u = { _id: { $oid: newId() }, fullName: 'Same Person', email: uniqueEmail('same'), password: PHP_2Y }
    const v = { _id: { $oid: newId() }, fullName: 'Cher', email: uniqueEmail('cher'), password: PHP_2Y }
    await runImport(ndjson(u, v))
    const before = await allUsers()
    const same = await runImport(ndjson(u, v))
    expect(same).toMatchObject({ input: 2, present: 2, presentDifferent: 0 })
    expect(summaryLines(same).join('\n')).not.toContain('present but different')
    for (const changed of [
      { ...u, fullName: 'Same Persona' },
      { ...u, fullName: { firstName: 'Other', lastName: 'Person' } },
      { ...v, fullName: 'Cher Sarkisian' }, // a last name where the account has none
    ]) {
      const report = await runImport(ndjson(changed), { dryRun: true })
      expect(report).toMatchObject({ input: 1, present: 1, presentDifferent: 1 })
      const real = await runImport(ndjson(changed))
      expect(real).toMatchObject({ input: 1, imported: 0, present: 1, presentDifferent: 1 })
    }
    expect(await allUsers()).toEqual(before)
  })
})

describe.each([
  ['local (INSERT ... RETURNING)', true],
  ['remote (verified by reading back)', false],
])('npm run import-users racing a registration, %s', (_name, returning) => {
  it('skips the row whose email was registered in between, counts it rejected, keeps the new account', async () => {
    const racer = { _id: { $oid: newId() }, fullName: 'Race Loser', email: uniqueEmail('race'), password: PHP_2Y }
    const calm = { _id: { $oid: newId() }, fullName: 'Calm Winner', email: uniqueEmail('calm'), password: PHP_2Y }
    let registered: Json = {}
    const db = d1Import({
      returning,
      beforeWrite: async () => {
        const body = { fullName: 'Fast Registrant', email: racer.email, password: 'registrant-pass' }
        const res = await send('POST', '/users/register', body)
        expect(res.status).toBe(201)
        registered = ((await res.json()) as Json).user
      },
    })
    const report = await runImport(ndjson(racer, calm), {}, db)
    expect(report).toMatchObject({ input: 2, imported: 1, present: 0, rejected: 1 })
    expect(report.rejects[0]).toMatchObject({ line: 1, code: 'email-taken', _id: racer._id.$oid })
    expect(report.rejects[0].reason).toBe(`email taken by another id during the import (${registered._id})`)
    expect(await userRow(racer._id.$oid)).toBeNull()
    expect(await userRow(registered._id)).toMatchObject({ email: racer.email, first_name: 'Fast' })
    expect((await login(racer.email, 'registrant-pass')).status).toBe(200)
    expect((await login(racer.email, PHP_2Y_PASSWORD)).status).toBe(401)
    expect((await login(calm.email, PHP_2Y_PASSWORD)).status).toBe(200)
  })
})

describe('npm run import-users --dry-run', () => {
  it('writes nothing and reports what would be imported, present and rejected', async () => {
    const fresh = { _id: { $oid: newId() }, fullName: 'Dry Run', email: uniqueEmail('dry'), password: PHP_2Y }
    const plain = { _id: { $oid: newId() }, fullName: 'Dry Plain', email: uniqueEmail('dry'), password: 'plaintext' }
    const before = await allUsers()
    const db = d1Import()
    const report = await runImport(ndjson(fresh, plain) + fixture, { dryRun: true }, db)
    expect(report).toMatchObject({ input: 24, imported: 0, wouldImport: 1, present: 7, rejected: 16, dryRun: true })
    expect(db.executed).toEqual([])
    expect(await allUsers()).toEqual(before)
  })
})

describe('POST /users/login for an imported hash at another cost than BCRYPT_COST', () => {
  it('re-hashes a $2y$ cost-10 hash at BCRYPT_COST (4 in tests) at first login; password and session stay valid', async () => {
    const u = { _id: { $oid: newId() }, fullName: 'Re Hash', email: uniqueEmail('rehash'), password: PHP_2Y }
    expect(await runImport(ndjson(u))).toMatchObject({ imported: 1 })
    expect((await userRow(u._id.$oid))?.password_hash).toBe(PHP_2Y)

    const res = await login(u.email, PHP_2Y_PASSWORD)
    expect(res.status).toBe(200)
    const { token } = (await res.json()) as Json
    const upgraded = (await userRow(u._id.$oid))?.password_hash as string
    expect(upgraded).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/)
    expect((await userRow(u._id.$oid))?.token_version).toBe(0)

    expect((await send('GET', '/users/profile', undefined, bearer(token))).status).toBe(200)
    expect((await login(u.email, PHP_2Y_PASSWORD)).status).toBe(200)
    expect((await login(u.email, 'rasmuslerdorF')).status).toBe(401)
    // Already at the configured cost: the next login leaves the hash alone.
    expect((await userRow(u._id.$oid))?.password_hash).toBe(upgraded)
  })

  it('an imported $2a$ / $2y$ hash changes through PATCH /users/changePassword like any other', async () => {
    const u = { _id: { $oid: newId() }, fullName: 'Change Me', email: uniqueEmail('change'), password: PHP_2Y }
    await runImport(ndjson(u))
    const body = { email: u.email, oldPassword: PHP_2Y_PASSWORD, newPassword: 'a-brand-new-pass' }
    const res = await send('PATCH', '/users/changePassword', body)
    expect(res.status).toBe(200)
    expect((await login(u.email, 'a-brand-new-pass')).status).toBe(200)
    expect((await login(u.email, PHP_2Y_PASSWORD)).status).toBe(401)
  })
})
