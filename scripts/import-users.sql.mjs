// User rows -> SQL statements inside D1's limits: every text value a hex literal (no bound
// parameters, no quoted string), each statement under a byte budget. Part of `npm run import-users`;
// plain JavaScript without Node APIs.

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
/** What the import reads back: enough to tell an account's owner and to check what was stored. */
const STORED = 'id, email, password_hash, first_name, last_name, created_at, updated_at'
const LOOKUP = `SELECT ${STORED} FROM users WHERE `

const NON_ASCII = /[^\x00-\x7f]/
const utf8 = new TextEncoder()

/**
 * A text value as SQL: `CAST(X'<its UTF-8 bytes in hex>' AS TEXT)`, or NULL. Every tool between
 * this script and D1 reads SQL text: wrangler's `d1 execute --file` splits it into statements and
 * drops what looks like a transaction (`BEGIN TRANSACTION`, `COMMIT;`, `END;`), even inside a
 * quoted string, so a name such as "Ann BEGIN TRANSACTION;" was stored as "Ann ". In hex, no
 * value has a quote, a semicolon or a keyword left to misread; SQLite turns the bytes back into
 * the same text (the database is UTF-8).
 */
export const sqlText = (v) => {
  if (v === null || v === undefined) return 'NULL'
  let hex = ''
  for (const byte of utf8.encode(String(v))) hex += byte.toString(16).padStart(2, '0')
  return `CAST(X'${hex}' AS TEXT)`
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
 * Multi-row INSERTs of literal values (hex, no bound parameters), each statement at most `maxBytes`
 * of UTF-8. With `returning`, each statement returns the rows it really inserted, as D1 stored them.
 */
export function insertStatements(rows, { maxBytes = DEFAULT_STATEMENT_BYTES, returning = false } = {}) {
  return chunk(rows.map(rowSql), INSERT_HEAD, INSERT_TAIL + (returning ? ` RETURNING ${STORED}` : ''), maxBytes)
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
    // Cannot happen: a valid row (names of 50 characters, an email of 254) is a few KB of SQL.
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

