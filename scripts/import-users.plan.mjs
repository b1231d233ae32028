// The logic of `npm run import-users`: mongoexport records -> user rows or rejections
// (import-users.records.mjs) -> batched SQL (import-users.sql.mjs) -> counts that add up (here).
// Plain JavaScript without Node APIs, so the CLI (scripts/import-users.mjs, Node) and the tests
// (workerd) run the same code; the database is reached through two functions the caller provides
// (wrangler for the CLI, env.DB for the tests). Types: import-users.plan.d.mts.
import { EJSON } from 'bson'
import { MAX_BCRYPT_COST, bcryptCost } from '../src/core/rules.mjs'
import { BCRYPT_HASH, isObject, readExport, toRow, trimmed } from './import-users.records.mjs'
import { DEFAULT_STATEMENT_BYTES, insertStatements, lookupStatements } from './import-users.sql.mjs'

export { BCRYPT_HASH, ImportError, nameOf, readExport, toRow } from './import-users.records.mjs'
export {
  DEFAULT_STATEMENT_BYTES,
  MAX_STATEMENT_BYTES,
  insertStatements,
  lookupStatements,
  sqlText,
  utf8Length,
} from './import-users.sql.mjs'

/** Why a record was rejected: the code is in the rejects file, the label in the printed counts. */
export const REASONS = {
  'not-json': 'not JSON (or not valid Extended JSON)',
  'not-an-object': 'not a JSON object',
  'invalid-id': '_id missing or not an ObjectId',
  'duplicate-id': '_id repeated in the input',
  'invalid-email': 'invalid or missing email',
  'duplicate-email': 'email shared with another record, or differing only in case',
  'email-taken': 'email taken by another id',
  'id-taken': '_id taken by an account with another email',
  password: 'password missing or not bcrypt',
  'bcrypt-cost': `bcrypt cost above ${MAX_BCRYPT_COST} (the user needs a password reset)`,
  'no-first-name': 'no first name',
  'invalid-text': 'a name breaks the register character rules',
  'name-too-long': 'a name over 50 characters',
  'not-written': 'not written (no conflicting account found)',
  altered: 'written, but stored differently from the export: ERROR',
}

const where = (r) => (r.line !== undefined ? `line ${r.line}` : `element ${r.element}`)

/** What the rejects file says about a record: where it was, why, and the record itself (a non-bcrypt password redacted). */
function rejectEntry(r, code, reason) {
  const entry = r.line !== undefined ? { line: r.line } : { element: r.element }
  entry.code = code
  entry.reason = reason
  if (r.id) entry._id = r.id
  if (r.email) entry.email = r.email
  if (r.doc !== undefined) {
    let doc = r.doc
    if (isObject(doc) && typeof doc.password === 'string' && !BCRYPT_HASH.test(doc.password)) {
      doc = { ...doc, password: '[redacted: not a bcrypt hash]' }
    }
    try {
      entry.record = EJSON.serialize(doc)
    } catch {
      entry.text = r.text // the line as it was (NDJSON), if the document cannot be written back
    }
  } else entry.text = r.text
  return entry
}

function reject(r, code, reason) {
  r.state = 'rejected'
  r.reject = rejectEntry(r, code, reason)
}

/** Validates every record and rejects those that no database state could make importable. */
function planRecords(records, now) {
  const byId = new Map()
  for (const r of records) {
    if (r.error) {
      reject(r, 'not-json', r.error)
      continue
    }
    if (!isObject(r.doc)) {
      reject(r, 'not-an-object', 'not a JSON object')
      continue
    }
    const result = toRow(r.doc, now)
    r.id = result.id ?? result.row?.id
    r.email = result.email ?? result.row?.email
    if (result.problems) {
      reject(r, result.problems[0][0], result.problems.map((p) => p[1]).join('; '))
      continue
    }
    r.row = result.row
    r.normalized = result.normalized
    const first = byId.get(r.id)
    if (first) {
      reject(r, 'duplicate-id', `the same _id as ${where(first)}`)
      continue
    }
    byId.set(r.id, r)
    r.state = 'candidate'
  }
}

const indexRows = (rows) => ({
  byId: new Map(rows.map((row) => [row.id, row])),
  byEmail: new Map(rows.map((row) => [row.email, row])),
})

/** The account is there (same id and email) but holds another hash or name than the export: it is left as it is. */
const differs = (row, stored) =>
  stored.password_hash !== row.passwordHash ||
  stored.first_name !== row.firstName ||
  (stored.last_name ?? null) !== row.lastName

function present(r, stored) {
  r.state = 'present'
  r.different = differs(r.row, stored)
}

/** Against the accounts that exist: same id and email = present; id or email held by another account = rejected. */
function classify(records, existingRows) {
  const existing = indexRows(existingRows)
  const candidates = []
  for (const r of records) {
    if (r.state !== 'candidate') continue
    const sameId = existing.byId.get(r.id)
    const sameEmail = existing.byEmail.get(r.email)
    if (sameId && sameId.email === r.email) present(r, sameId)
    else if (sameId) reject(r, 'id-taken', `_id belongs to an existing account with another email (${sameId.email})`)
    else if (sameEmail) reject(r, 'email-taken', `email taken by another id (${sameEmail.id})`)
    else candidates.push(r)
  }
  // Two new records whose emails differ only in case: which one owns the address cannot be
  // decided here, so neither is imported, whatever their order in the file.
  const byEmail = new Map()
  for (const r of candidates) byEmail.set(r.email, [...(byEmail.get(r.email) ?? []), r])
  for (const group of byEmail.values()) {
    if (group.length < 2) continue
    for (const r of group) {
      const other = group.find((o) => o !== r)
      const exact = trimmed(other.doc.email) === trimmed(r.doc.email)
      reject(
        r,
        'duplicate-email',
        `${exact ? 'the same email as' : 'email differs only in case from'} ${where(other)} (_id ${other.id})`,
      )
    }
  }
  return candidates.filter((r) => r.state === 'candidate')
}

/** The columns of a stored row that differ from the row the import meant to write. */
const COLUMN_OF = {
  email: 'email',
  passwordHash: 'password_hash',
  firstName: 'first_name',
  lastName: 'last_name',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
}
const alteredColumns = (row, stored) =>
  Object.entries(COLUMN_OF)
    .filter(([key, column]) => (stored[column] ?? null) !== row[key])
    .map(([, column]) => column)

/** Ours, as read: imported; ours, but D1 holds something else than the export: altered. */
function check(r, stored) {
  const columns = alteredColumns(r.row, stored)
  if (columns.length === 0) r.state = 'imported'
  else {
    reject(
      r,
      'altered',
      `written, but D1 holds other values than the export in ${columns.join(', ')}: a tool on the way changed the SQL; fix this account by hand`,
    )
  }
}

/**
 * After the write, settles the records that RETURNING did not account for (remotely, where the
 * INSERTs return nothing: every record) on what D1 really holds, read back: a row holding our id,
 * email and hash is ours and is checked value by value (imported, or altered); otherwise a
 * registration (or anything else) took its id or email between the read and the insert, and the
 * record is rejected, not imported. `returned`: RETURNING listed every row the INSERTs wrote.
 */
function settle(records, afterRows, { returned }) {
  const after = indexRows(afterRows)
  for (const r of records) {
    const sameId = after.byId.get(r.id)
    const sameEmail = after.byEmail.get(r.email)
    if (sameId && sameId.email === r.email) {
      if (!returned && sameId.password_hash === r.row.passwordHash) check(r, sameId)
      else present(r, sameId)
    } else if (sameId) {
      reject(r, 'id-taken', `_id taken during the import by an account with another email (${sameId.email})`)
    } else if (sameEmail) {
      reject(r, 'email-taken', `email taken by another id during the import (${sameEmail.id})`)
    } else {
      reject(r, 'not-written', 'the row was not written and no account holds its id or email: run the import again')
    }
  }
}

/**
 * The whole import. `db.query(statements)` runs SELECTs and resolves to all their rows;
 * `db.execute(statements)` runs the INSERTs (the CLI and the tests run them as one D1 batch) and,
 * when `db.returning` is true, resolves to the rows their RETURNING clauses gave (the rows really
 * inserted, as stored). Every written row is compared with its record, value by value. Every
 * record ends imported, present or rejected (`altered` among them: written, but not as read), and
 * the three add up to the input.
 */
export async function importUsers(text, db, { jsonArray = false, dryRun = false, now, statementBytes } = {}) {
  const maxBytes = statementBytes ?? DEFAULT_STATEMENT_BYTES
  const records = readExport(text, { jsonArray })
  planRecords(records, now ?? new Date().toISOString())
  const valid = records.filter((r) => r.state === 'candidate')
  const existing = valid.length > 0 ? await db.query(lookupStatements(valid, maxBytes)) : []
  const toInsert = classify(records, existing)
  const returning = db.returning === true
  const statements = insertStatements(
    toInsert.map((r) => r.row),
    { maxBytes, returning },
  )
  if (!dryRun && statements.length > 0) {
    const returned = await db.execute(statements)
    let unsettled = toInsert
    if (returning) {
      // Locally the INSERTs return the rows as D1 stored them (no second read of 100,000 rows).
      const stored = new Map((returned ?? []).map((row) => [row.id, row]))
      for (const r of toInsert) if (stored.has(r.id)) check(r, stored.get(r.id))
      unsettled = toInsert.filter((r) => r.state === 'candidate')
    }
    if (unsettled.length > 0) {
      settle(unsettled, await db.query(lookupStatements(unsettled, maxBytes)), { returned: returning })
    }
  }
  return report(records, { dryRun, statements: statements.length })
}

function report(records, { dryRun, statements }) {
  const count = (state) => records.filter((r) => r.state === state).length
  const rejects = records.filter((r) => r.state === 'rejected').map((r) => r.reject)
  const byReason = {}
  for (const code of Object.keys(REASONS)) {
    const n = rejects.filter((x) => x.code === code).length
    if (n > 0) byReason[code] = n
  }
  const written = records.filter((r) => r.state === (dryRun ? 'candidate' : 'imported'))
  const normalized = written.filter((r) => r.normalized).length
  const costs = {}
  for (const r of written) {
    const cost = bcryptCost(r.row.passwordHash)
    costs[cost] = (costs[cost] ?? 0) + 1
  }
  const result = {
    input: records.length,
    imported: dryRun ? 0 : count('imported'),
    wouldImport: dryRun ? count('candidate') : 0,
    present: count('present'),
    presentDifferent: records.filter((r) => r.state === 'present' && r.different).length,
    rejected: rejects.length,
    byReason,
    altered: byReason.altered ?? 0,
    normalized,
    costs,
    statements,
    dryRun,
    rejects,
  }
  if (result.imported + result.wouldImport + result.present + result.rejected !== result.input) {
    throw new Error(`counts do not add up: ${JSON.stringify({ ...result, rejects: undefined })}`)
  }
  return result
}

/**
 * The counts as the CLI prints them. `bcryptCost` is the BCRYPT_COST of the target (wrangler.toml),
 * `costFrom` where it was read: a hash at another cost makes a wrong password for its user take
 * another time to refuse than an unknown email, until the user logs in once and it is re-hashed.
 */
export function summaryLines(r, { bcryptCost = 10, costFrom = 'BCRYPT_COST' } = {}) {
  const pad = (label, n) => `  ${label.padEnd(18)}${String(n).padStart(8)}`
  const lines = [
    pad('input records', r.input),
    pad(r.dryRun ? 'would import' : 'imported', r.dryRun ? r.wouldImport : r.imported),
    pad('already present', r.present),
  ]
  if (r.presentDifferent > 0) {
    lines.push(
      `    ${String(r.presentDifferent).padStart(8)}  present but different: the export has another hash or name; nothing was changed (an existing account is never overwritten)`,
    )
  }
  lines.push(pad('rejected', r.rejected))
  for (const [code, n] of Object.entries(r.byReason)) lines.push(`    ${String(n).padStart(8)}  ${REASONS[code]}`)
  if (r.normalized > 0) {
    lines.push(
      `  ${r.normalized} name${r.normalized === 1 ? '' : 's'} stored in NFC: the same text in its composed form, as register stores names`,
    )
  }
  const costs = Object.entries(r.costs).sort(([a], [b]) => Number(a) - Number(b))
  if (costs.length > 0) {
    const list = costs.map(([c, n]) => `${c} (${n})`).join(', ')
    lines.push(`  bcrypt cost of the ${r.dryRun ? 'new' : 'imported'} hashes: ${list}`)
    const other = costs.reduce((n, [c, k]) => (Number(c) === bcryptCost ? n : n + k), 0)
    if (other > 0) {
      lines.push(
        `  ${other} of them at another cost than ${costFrom} (${bcryptCost}): each is re-hashed at ${bcryptCost} at its user's next login;`,
        '    until then a wrong password for them is refused faster or slower than an unknown email',
      )
    }
  }
  return lines
}
