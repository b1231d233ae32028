// mongoexport's output -> records -> user rows, or every problem a record has. Part of
// `npm run import-users` (see import-users.plan.mjs); plain JavaScript without Node APIs.
import { EJSON } from 'bson'
import * as z from 'zod'
import { LEGACY_NAME_MIN_LENGTH, MAX_BCRYPT_COST, bcryptCost, checkNamePart, splitFullName } from '../src/core/rules.mjs'

/** A problem with the input as a whole (not one record): nothing is written. */
export class ImportError extends Error {}

/** The API's rule at login and register (src/users/users.schemas.ts): a stored email must be one a user can log in with. */
const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email())

/** bcrypt as this API can verify it: $2a$, $2b$ or $2y$ (the same algorithm for passwords up to 72 bytes), cost 04-31. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/

export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)

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

function isoDate(v) {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null
  if (!d || Number.isNaN(d.getTime())) return undefined
  const year = d.getUTCFullYear()
  return year >= 1 && year <= 9999 ? d.toISOString() : undefined
}

export const trimmed = (v) => (typeof v === 'string' ? v.trim() : '')

/**
 * The name in any shape the old backends stored: `fullName` as "First Rest" (split at the first
 * whitespace, as register does) or as { firstName, lastName }, or `fullname` as { firstname, lastname }.
 */
export function nameOf(doc) {
  const name = doc.fullName ?? doc.fullname
  if (typeof name === 'string') return splitFullName(name)
  if (isObject(name)) {
    return {
      firstName: trimmed(name.firstName ?? name.firstname),
      lastName: trimmed(name.lastName ?? name.lastname) || null,
    }
  }
  return { firstName: '', lastName: null }
}

/**
 * The name as register would store it, with the old backends' shorter minimum (1 character): the
 * same character rules (src/core/rules.mjs, shared with the API), NFC, at most 50 characters. A
 * name that breaks a rule is rejected with it; only NFC is applied silently (the same text,
 * composed, as register stores it), and the record says so (`normalized`).
 */
function checkName({ firstName, lastName }) {
  const parts = {}
  for (const [key, label, raw] of [['firstName', 'first name', firstName], ['lastName', 'last name', lastName]]) {
    if (raw === null) {
      parts[key] = null
      continue
    }
    const checked = checkNamePart(raw, LEGACY_NAME_MIN_LENGTH)
    if (checked.problem) {
      return { problem: [checked.problem === 'tooLong' ? 'name-too-long' : 'invalid-text', `the ${label} ${checked.message}`] }
    }
    parts[key] = checked.value
  }
  return { name: parts, normalized: parts.firstName !== firstName || parts.lastName !== lastName }
}

/**
 * One exported document -> the row to insert, or every problem it has. `_id` stays the user's id,
 * the email is trimmed and lowercased, the bcrypt hash is kept as it is (cost 4 to 14), the name
 * follows register's rules; socketId, profilePic and any other field are not carried. `normalized`:
 * the name was stored in NFC, not as exported.
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
  } else if (bcryptCost(password) > MAX_BCRYPT_COST) {
    problems.push([
      'bcrypt-cost',
      `bcrypt cost ${bcryptCost(password)} is above ${MAX_BCRYPT_COST}: one check would take seconds of CPU on Workers (a login could pin a CPU, ` +
        `and its time would tell the account exists), so the API never compares such a hash. The user needs a password reset: ` +
        `set a new password in the old backend (cost ${MAX_BCRYPT_COST} or less) and import the record again, or let the user register again`,
    ])
  }

  let name
  let normalized = false
  const raw = nameOf(doc)
  if (!raw.firstName) problems.push(['no-first-name', 'no first name (fullName, fullName.firstName or fullname.firstname)'])
  else {
    const checked = checkName(raw)
    if (checked.problem) problems.push(checked.problem)
    else ({ name, normalized } = checked)
  }

  if (problems.length > 0) return { problems, id, email }
  const createdAt = isoDate(doc.createdAt) ?? now
  const updatedAt = isoDate(doc.updatedAt) ?? createdAt
  return { row: { id, ...name, email, passwordHash: password, createdAt, updatedAt }, normalized }
}
