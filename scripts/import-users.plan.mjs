// The logic of `npm run import-users`: mongoexport records -> user rows or rejections -> batched
// SQL -> counts that add up. Plain JavaScript without Node APIs, so the CLI (scripts/import-users.mjs,
// Node) and the tests (workerd) run the same code; the database is reached through two functions
// the caller provides (wrangler for the CLI, env.DB for the tests).
import { EJSON } from 'bson'
import * as z from 'zod'

/** D1's limit on the length of one SQL statement. */
export const MAX_STATEMENT_BYTES = 100_000

/**
 * Statements are cut well below D1's limit: the cost per character of wrangler's local SQL
 * splitter grows with the statement's length, and ~150 rows per statement measured fastest.
 */
export const DEFAULT_STATEMENT_BYTES = 30_000

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

/** A problem with the input as a whole (not one record): nothing is written. */
export class ImportError extends Error {}

/** The API's rule at login and register (src/users/users.schemas.ts): a stored email must be one a user can log in with. */
const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email())

/** bcrypt as this API can verify it: $2a$, $2b$ or $2y$ (the same algorithm for passwords up to 72 bytes), cost 04-31. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/

const COLUMNS = 'id, first_name, last_name, email, password_hash, token_version, created_at, updated_at'
const INSERT_HEAD = `INSERT INTO users (${COLUMNS}) VALUES `
// Never overwrite: a row whose id or email exists (already, or since the read) is skipped.
const INSERT_TAIL = ' ON CONFLICT DO NOTHING'
const LOOKUP = 'SELECT id, email, password_hash FROM users WHERE '

const NON_ASCII = /[^\x00-\x7f]/

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)

/** An SQL string literal: quotes doubled, nothing else needs escaping (NUL is refused before). */
export const sqlText = (v) => {
  if (v === null || v === undefined) return 'NULL'
  const s = String(v)
  return s.includes("'") ? `'${s.replaceAll("'", "''")}'` : `'${s}'`
}

export function utf8Length(s) {
  if (!NON_ASCII.test(s)) return s.length
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/**
 * Splits an export into records. NDJSON (mongoexport's default): one record per non-blank line,
 * numbered by its line; a line that does not parse is a record too (rejected, with its line number).
 * `jsonArray` (mongoexport --jsonArray): one record per element; a file that does not parse as a
 * whole is an ImportError, since no record boundary can be trusted.
 */
export function readExport(text, { jsonArray = false } = {}) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (jsonArray) {
    let docs
    try {
      docs = EJSON.parse(text)
    } catch (e) {
      throw new ImportError(`--jsonArray: the file is not a JSON array (${e.message})`)
    }
    if (!Array.isArray(docs)) throw new ImportError('--jsonArray: the file is not a JSON array')
    return docs.map((doc, i) => ({ element: i + 1, doc }))
  }
  if (/^\s*\[/.test(text)) {
    throw new ImportError('the file starts with "[": a JSON array (mongoexport --jsonArray) needs --jsonArray')
  }
  const start = text.search(/\S/)
  if (start >= 0 && /^\{\s*$/.test(text.slice(start).split('\n', 1)[0])) {
    throw new ImportError('the first record spans several lines (mongoexport --pretty): export without --pretty')
  }
  const records = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]
    if (line.trim() === '') continue
    try {
      records.push({ line: i + 1, doc: EJSON.parse(line), text: line })
    } catch (e) {
      let kind = 'not JSON'
      try {
        JSON.parse(line)
        kind = 'not valid Extended JSON'
      } catch {}
      records.push({ line: i + 1, text: line, error: `${kind}: ${e.message}` })
    }
  }
  return records
}

const where = (r) => (r.line !== undefined ? `line ${r.line}` : `element ${r.element}`)

function isoDate(v) {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null
  if (!d || Number.isNaN(d.getTime())) return undefined
  const year = d.getUTCFullYear()
  return year >= 1 && year <= 9999 ? d.toISOString() : undefined
}

const trimmed = (v) => (typeof v === 'string' ? v.trim() : '')

/**
 * The name in any shape the old backends stored: `fullName` as "First Rest" (split at the first
 * whitespace, as register does) or as { firstName, lastName }, or `fullname` as { firstname, lastname }.
 * Lengths are kept as they are: today's 3-50 rule applies to new input, not to legacy accounts.
 */
export function nameOf(doc) {
  const name = doc.fullName ?? doc.fullname
  if (typeof name === 'string') {
    const [, first = '', rest] = /^(\S+)(?:\s+([\s\S]+))?$/.exec(name.trim()) ?? []
    return { firstName: first, lastName: rest ?? null }
  }
  if (isObject(name)) {
    return {
      firstName: trimmed(name.firstName ?? name.firstname),
      lastName: trimmed(name.lastName ?? name.lastname) || null,
    }
  }
  return { firstName: '', lastName: null }
}

const cleanText = (s) => s === null || (!s.includes('\u0000') && s.isWellFormed())

/**
 * One exported document -> the row to insert, or every problem it has. `_id` stays the user's id,
 * the email is trimmed and lowercased, the bcrypt hash is kept as it is; socketId, profilePic and
 * any other field are not carried.
 */
export function toRow(doc, now) {
  const problems = []
  let id
  const rawId = doc._id
  if (rawId?._bsontype === 'ObjectId') id = rawId.toHexString()
  else if (typeof rawId === 'string' && /^[0-9a-f]{24}$/i.test(rawId)) id = rawId.toLowerCase()
  else problems.push(['invalid-id', rawId === undefined ? '_id is missing' : '_id is not an ObjectId (24 hex characters)'])

  let email
  if (doc.email === undefined || doc.email === null || doc.email === '') {
    problems.push(['invalid-email', 'email is missing'])
  } else {
    const parsed = emailSchema.safeParse(doc.email)
    if (parsed.success) email = parsed.data
    else problems.push(['invalid-email', 'email is not a valid address'])
  }

  const password = doc.password
  if (password === undefined || password === null || password === '') {
    problems.push(['password', 'password is missing'])
  } else if (typeof password !== 'string' || !BCRYPT_HASH.test(password)) {
    problems.push(['password', 'password is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31): it is never stored'])
  }

  const { firstName, lastName } = nameOf(doc)
  if (!firstName) problems.push(['no-first-name', 'no first name (fullName, fullName.firstName or fullname.firstname)'])
  else if (!cleanText(firstName) || !cleanText(lastName)) {
    problems.push(['invalid-text', 'the name contains a NUL character or invalid Unicode'])
  }

  if (problems.length > 0) return { problems, id, email }
  const createdAt = isoDate(doc.createdAt) ?? now
  const updatedAt = isoDate(doc.updatedAt) ?? createdAt
  return { row: { id, firstName, lastName, email, passwordHash: password, createdAt, updatedAt } }
}

const rowSql = (r) =>
  `(${[r.id, r.firstName, r.lastName, r.email, r.passwordHash].map(sqlText).join(',')},0,` +
  `${sqlText(r.createdAt)},${sqlText(r.updatedAt)})`

/**
 * Multi-row INSERTs of literal values (no bound parameters), each statement at most `maxBytes` of
 * UTF-8. With `returning`, each statement returns the ids it really inserted.
 */
export function insertStatements(rows, { maxBytes = DEFAULT_STATEMENT_BYTES, returning = false } = {}) {
  return chunk(rows.map(rowSql), INSERT_HEAD, INSERT_TAIL + (returning ? ' RETURNING id' : ''), maxBytes)
}

/** SELECTs of the accounts that hold any of these records' ids or emails, each statement at most `maxBytes`. */
export function lookupStatements(records, maxBytes = DEFAULT_STATEMENT_BYTES) {
  const statements = []
  const fixed = utf8Length(`${LOOKUP}id IN () OR email IN ()`)
  let ids = []
  let emails = []
  let bytes = fixed
  const flush = () => {
    if (ids.length > 0) statements.push(`${LOOKUP}id IN (${ids.join(',')}) OR email IN (${emails.join(',')})`)
    ids = []
    emails = []
    bytes = fixed
  }
  for (const r of records) {
    const id = sqlText(r.id)
    const email = sqlText(r.email)
    const size = utf8Length(id) + utf8Length(email) + 2
    if (bytes + size > maxBytes) flush()
    ids.push(id)
    emails.push(email)
    bytes += size
  }
  flush()
  return statements
}

function chunk(items, head, tail, maxBytes) {
  const statements = []
  const fixed = utf8Length(head) + utf8Length(tail)
  let part = []
  let bytes = fixed
  for (const item of items) {
    const size = utf8Length(item) + 1
    // planRecords rejects a row that no statement could hold; a large one gets a statement of its own.
    if (fixed + size > MAX_STATEMENT_BYTES) throw new Error(`one value needs ${size} bytes: more than a statement may hold`)
    if (part.length > 0 && bytes + size > maxBytes) {
      statements.push(head + part.join(',') + tail)
      part = []
      bytes = fixed
    }
    part.push(item)
    bytes += size
  }
  if (part.length > 0) statements.push(head + part.join(',') + tail)
  return statements
}

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
    if (utf8Length(rowSql(r.row)) + INSERT_HEAD.length + 100 > MAX_STATEMENT_BYTES) {
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

/** Against the accounts that exist: same id and email = present; id or email held by another account = rejected. */
function classify(records, existingRows) {
  const existing = indexRows(existingRows)
  const candidates = []
  for (const r of records) {
    if (r.state !== 'candidate') continue
    const sameId = existing.byId.get(r.id)
    const sameEmail = existing.byEmail.get(r.email)
    if (sameId && sameId.email === r.email) r.state = 'present'
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
      r.state = !returned && sameId.password_hash === r.row.passwordHash ? 'imported' : 'present'
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

/** The counts as the CLI prints them. */
export function summaryLines(r) {
  const pad = (label, n) => `  ${label.padEnd(18)}${String(n).padStart(8)}`
  const lines = [
    pad('input records', r.input),
    pad(r.dryRun ? 'would import' : 'imported', r.dryRun ? r.wouldImport : r.imported),
    pad('already present', r.present),
    pad('rejected', r.rejected),
  ]
  for (const [code, n] of Object.entries(r.byReason)) lines.push(`    ${String(n).padStart(8)}  ${REASONS[code]}`)
  const costs = Object.entries(r.costs).sort(([a], [b]) => Number(a) - Number(b))
  if (costs.length > 0) {
    const list = costs.map(([c, n]) => `${c} (${n})`).join(', ')
    lines.push(`  bcrypt cost of the ${r.dryRun ? 'new' : 'imported'} hashes: ${list}`)
  }
  return lines
}
