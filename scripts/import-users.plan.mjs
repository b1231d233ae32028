// The logic of `npm run import-users`: mongoexport records -> user rows or rejections
// (import-users.records.mjs) -> batched SQL (import-users.sql.mjs) -> counts that add up (here).
// Plain JavaScript without Node APIs, so the CLI (scripts/import-users.mjs, Node) and the tests
// (workerd) run the same code; the database is reached through two functions the caller provides
// (wrangler for the CLI, env.DB for the tests). Types: import-users.plan.d.mts.
import { EJSON } from 'bson'
import { BCRYPT_HASH, isObject, readExport, toRow, trimmed } from './import-users.records.mjs'
import {
  DEFAULT_STATEMENT_BYTES,
  MAX_STATEMENT_BYTES,
  insertStatements,
  lookupStatements,
  singleRowBytes,
} from './import-users.sql.mjs'

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
  'no-first-name': 'no first name',
  'invalid-text': 'NUL character or invalid Unicode in a name',
  'too-large': 'record too large for one SQL statement',
  'not-written': 'not written (no conflicting account found)',
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
    if (singleRowBytes(r.row) > MAX_STATEMENT_BYTES) {
      reject(r, 'too-large', `the record needs more than ${MAX_STATEMENT_BYTES} bytes of SQL`)
      continue
    }
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

/**
 * After the write, settles the records whose insert was skipped (or, without RETURNING, every
 * written record) on what is really there: a registration (or anything else) that took an id or
 * email between the read and the insert made the insert skip that row, and the record is counted
 * as rejected, not imported.
 */
function settle(records, afterRows, { returned }) {
  const after = indexRows(afterRows)
  for (const r of records) {
    const sameId = after.byId.get(r.id)
    const sameEmail = after.byEmail.get(r.email)
    if (sameId && sameId.email === r.email) {
      // Without RETURNING, the row is ours if it holds our hash; with it, someone else wrote it.
      if (!returned && sameId.password_hash === r.row.passwordHash) r.state = 'imported'
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
 * when `db.returning` is true, resolves to the rows their RETURNING clauses gave (the ids really
 * inserted). Every record ends imported, present or rejected, and the three add up to the input.
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
      const inserted = new Set((returned ?? []).map((row) => row.id))
      for (const r of toInsert) if (inserted.has(r.id)) r.state = 'imported'
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
  const costs = {}
  for (const r of written) {
    const cost = Number(r.row.passwordHash.slice(4, 6))
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

/** bcrypt costs above this take seconds of CPU per login: more than a Worker is likely to be given. */
export const MAX_WORKERS_COST = 14

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
    const high = costs.reduce((n, [c, k]) => (Number(c) > MAX_WORKERS_COST ? n + k : n), 0)
    if (high > 0) {
      lines.push(
        `  WARNING: ${high} hash${high === 1 ? '' : 'es'} above cost ${MAX_WORKERS_COST}: checking one takes seconds of CPU, so ` +
          `${high === 1 ? 'this user' : 'these users'} will likely`,
        '    not be able to log in on Workers (nor change the password, which checks the old one): send them a password reset',
      )
    }
  }
  return lines
}
