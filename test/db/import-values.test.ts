// Issue 22, items 2, 5 and 6, in the import's plan (inside workerd, against this file's local D1):
// hashes above cost 14 are rejected, imported names follow register's character rules (1–50
// characters), every value reaches D1 as a hex literal, and what D1 stored is checked against what
// was read.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type ImportDb, insertStatements, lookupStatements, REASONS, sqlText, summaryLines, toRow } from '../../scripts/import-users.plan.mjs'
import { firstName as registerFirstName } from '../../src/users/names'
import type { Json } from '../support/request'
import { uniqueEmail, userRow } from '../support/users'
import { allUsers, d1Import, ndjson, newId, PHP_2Y, runImport } from '../support/import'

const NOW = '2026-01-02T03:04:05.000Z'
const doc = (overrides: Json = {}) => ({ _id: newId(), fullName: 'John Doe', email: uniqueEmail('imp'), password: PHP_2Y, ...overrides })
const problemsOf = (d: Json) => {
  const r = toRow(d, NOW)
  return 'problems' in r ? r.problems : []
}

describe('import: bcrypt hashes above cost 14', () => {
  it.each([15, 20, 31])('rejects a $2b$%i$ hash, saying why and that the user needs a password reset', async (cost) => {
    const password = PHP_2Y.replace('$2y$10$', `$2b$${cost}$`)
    const report = await runImport(ndjson(doc({ password })))
    expect(report).toMatchObject({ input: 1, imported: 0, rejected: 1, byReason: { 'bcrypt-cost': 1 } })
    expect(report.rejects[0].code).toBe('bcrypt-cost')
    expect(report.rejects[0].reason).toMatch(new RegExp(`^bcrypt cost ${cost} is above 14: one check would take seconds of CPU on Workers`))
    expect(report.rejects[0].reason).toContain('The user needs a password reset')
    expect(summaryLines(report).join('\n')).toContain(`1  ${REASONS['bcrypt-cost']}`)
  })

  it('imports a hash at cost 14, the highest a Worker checks', async () => {
    const d = doc({ password: PHP_2Y.replace('$2y$10$', '$2y$14$') })
    expect(await runImport(ndjson(d))).toMatchObject({ imported: 1, rejected: 0 })
  })
})

describe('import: names follow the register character rules, with the legacy length 1–50', () => {
  it.each([
    ['a CR/LF', { firstName: 'Ann\r\nSmith' }, 'invalid-text', 'the first name must not contain control characters'],
    ['a line feed in the last name', { firstName: 'Ann', lastName: 'Smith\nJones' }, 'invalid-text', 'the last name must not contain control characters'],
    ['a right-to-left override', { firstName: 'Ali\u202eecil' }, 'invalid-text', 'the first name must not contain control characters'],
    ['a left-to-right mark', { firstName: 'Ali\u200ece' }, 'invalid-text', 'the first name must not contain control characters'],
    ['a zero-width space', { firstName: 'Jo\u200bhn' }, 'invalid-text', 'the first name must not contain zero-width or tag characters'],
    ['a tag character', { firstName: 'John\u{e0041}' }, 'invalid-text', 'the first name must not contain zero-width or tag characters'],
    ['nothing visible', { firstName: '\u3164\u3164' }, 'invalid-text', 'the first name must contain a visible character'],
    ['a lone surrogate', { firstName: 'Jo\ud800hn' }, 'invalid-text', 'the first name must be valid Unicode text (no lone surrogate)'],
    ['60,000 characters', { firstName: 'A'.repeat(60_000) }, 'name-too-long', 'the first name must be at most 50 characters'],
    ['51 characters', { firstName: 'A'.repeat(51) }, 'name-too-long', 'the first name must be at most 50 characters'],
  ])('rejects a name with %s, with the rule it breaks', async (_, fullName, code, reason) => {
    const d = doc({ fullName })
    const report = await runImport(ndjson(d))
    expect(report).toMatchObject({ input: 1, imported: 0, rejected: 1 })
    expect(report.rejects[0]).toMatchObject({ code, reason })
    expect(await userRow(d._id)).toBeNull()
  })

  it('accepts exactly what register accepts, and legacy names of 1 or 2 characters', () => {
    const names = ['John', 'Zoë', "O'Brien", 'José María', '李小龍', 'فاطمه‌زهرا', 'Ann BEGIN TRANSACTION;', 'Jo\u200bhn', 'Ali\u200ece', 'Ann\nX', 'A'.repeat(50), 'A'.repeat(51), '\u200b\u200b\u200b']
    for (const name of names) {
      const imported = problemsOf(doc({ fullName: { firstName: name } })).length === 0
      expect(imported, JSON.stringify(name)).toBe(registerFirstName.safeParse(name).success)
    }
    expect(problemsOf(doc({ fullName: { firstName: 'Al', lastName: 'X' } }))).toEqual([])
    expect(registerFirstName.safeParse('Al').success).toBe(false)
  })

  it('stores a name typed in NFD in NFC, as register does, and says so', async () => {
    const d = doc({ fullName: { firstName: 'Jose\u0301', lastName: 'Nu\u0301n\u0303ez' } })
    const report = await runImport(ndjson(d, doc()))
    expect(report).toMatchObject({ imported: 2, normalized: 1 })
    expect(await userRow(d._id)).toMatchObject({ first_name: 'Jos\u00e9', last_name: 'N\u00fa\u00f1ez' })
    expect(summaryLines(report)).toContain('  1 name stored in NFC: the same text in its composed form, as register stores names')
  })
})

describe('import: values reach D1 as hex literals, and what D1 stored is checked', () => {
  const tricky = ['Ann BEGIN TRANSACTION;', 'COMMIT;', 'END;', `O'Brien "END;"`, "x'); DROP TABLE users; --"]

  it('no statement holds a quote of its own, a semicolon or the text of a value', () => {
    const rows = tricky.map((firstName, i) => ({
      id: newId(),
      firstName,
      lastName: tricky[(i + 1) % tricky.length],
      email: `q'uote${i};@example.com`,
      passwordHash: PHP_2Y,
      createdAt: NOW,
      updatedAt: NOW,
    }))
    for (const statement of [...insertStatements(rows, { returning: true }), ...lookupStatements(rows)]) {
      const withoutLiterals = statement.replace(/CAST\(X'[0-9a-f]*' AS TEXT\)/g, '')
      expect(withoutLiterals).not.toMatch(/['";]|BEGIN|COMMIT|END|DROP/)
      expect(withoutLiterals).not.toContain('@')
    }
  })

  it('stores names with BEGIN TRANSACTION, COMMIT;, END; and quotes unchanged', async () => {
    const docs = tricky.map((firstName, i) => doc({ fullName: { firstName, lastName: tricky[(i + 2) % tricky.length] } }))
    expect(await runImport(ndjson(...docs))).toMatchObject({ input: 5, imported: 5, rejected: 0 })
    for (const [i, d] of docs.entries()) {
      expect(await userRow(d._id)).toMatchObject({ first_name: tricky[i], last_name: tricky[(i + 2) % tricky.length] })
    }
  })

  /** A tool on the way that rewrites the SQL text it carries, as wrangler did: a name loses its "BEGIN TRANSACTION;". */
  const rewriting = (returning: boolean, from: string, to: string): ImportDb => {
    const db = d1Import({ returning })
    return { ...db, execute: (statements) => db.execute(statements.map((s) => s.replaceAll(sqlText(from), sqlText(to)))) }
  }

  it.each([
    ['local (INSERT ... RETURNING)', true],
    ['remote (verified by reading back)', false],
  ])('%s: a row D1 holds otherwise than read is counted altered (an error), and the counts add up', async (_, returning) => {
    const bad = doc({ fullName: { firstName: 'Ann BEGIN TRANSACTION;', lastName: 'Smith' } })
    const fine = doc()
    const report = await runImport(ndjson(bad, fine), {}, rewriting(returning, 'Ann BEGIN TRANSACTION;', 'Ann '))
    expect(report).toMatchObject({ input: 2, imported: 1, present: 0, rejected: 1, altered: 1 })
    expect(report.rejects[0]).toMatchObject({ line: 1, code: 'altered', _id: bad._id })
    expect(report.rejects[0].reason).toMatch(/^written, but D1 holds other values than the export in first_name: /)
    expect(summaryLines(report).join('\n')).toContain(`1  ${REASONS.altered}`)
    // Cleaned up, so that the other tests of this file never meet this row.
    await env.DB.prepare('DELETE FROM users WHERE id = ?').bind(bad._id).run()
    expect((await allUsers()).some((r) => r.first_name === 'Ann ')).toBe(false)
  })
})
