// User rows -> SQL statements inside D1's limits: literal values (no bound parameters), each
// statement under a byte budget. Part of `npm run import-users`; plain JavaScript without Node APIs.

/** D1's limit on the length of one SQL statement. */
export const MAX_STATEMENT_BYTES = 100_000

/**
 * Statements are cut well below D1's limit: the cost per character of wrangler's local SQL
 * splitter grows with the statement's length, and ~150 rows per statement measured fastest.
 */
export const DEFAULT_STATEMENT_BYTES = 30_000

const COLUMNS = 'id, first_name, last_name, email, password_hash, token_version, created_at, updated_at'
const INSERT_HEAD = `INSERT INTO users (${COLUMNS}) VALUES `
// Never overwrite: a row whose id or email exists (already, or since the read) is skipped.
const INSERT_TAIL = ' ON CONFLICT DO NOTHING'
const LOOKUP = 'SELECT id, email, password_hash, first_name, last_name FROM users WHERE '

const NON_ASCII = /[^\x00-\x7f]/

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

/** One row as a VALUES tuple. */
export const rowSql = (r) =>
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

/** The bytes of a one-row INSERT of this row: a row over MAX_STATEMENT_BYTES cannot be written at all. */
export const singleRowBytes = (row) => utf8Length(INSERT_HEAD + rowSql(row) + INSERT_TAIL) + ' RETURNING id'.length
