// npm run import-users -- <file> [--remote] [--dry-run] [--rejects <path>] [--jsonArray] [--strict] [--persist-to <dir>]
//
// Loads users exported with `mongoexport` into D1: the local database by default (the one
// `npm run dev` uses), the real one with --remote. A thin wrapper: the logic is in
// import-users.plan.mjs; this file reads the export, runs the SQL through wrangler and prints counts.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ImportError, importUsers, MAX_STATEMENT_BYTES, summaryLines, utf8Length } from './import-users.plan.mjs'

const USAGE = `Usage: npm run import-users -- <file> [options]

Loads users exported with mongoexport (NDJSON, or a JSON array with --jsonArray; Extended JSON v1
or v2) into D1. Existing accounts are never changed; running it again is a no-op.

  --remote            the real database (wrangler login needed); default: the local one (npm run dev's)
  --persist-to <dir>  the local state directory, as for wrangler dev (default: .wrangler/state)
  --dry-run           write nothing to the database; print what would happen
  --rejects <path>    where the rejected records go, one JSON object a line with its reason
                      (default: <file>.rejects.ndjson; in a dry run they are printed instead)
  --jsonArray         the file is a JSON array (mongoexport --jsonArray)
  --strict            exit with code 2 if any record is rejected

Exit codes: 0 done, 1 error (a write that fails writes nothing: run it again), 2 --strict and
something was rejected.`

const root = path.resolve(import.meta.dirname, '..')
const wranglerBin = path.join(root, 'node_modules', '.bin', 'wrangler')
const quiet = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' }
// npm runs scripts from the package root: paths given by the user are relative to where they typed them.
const userDir = process.env.INIT_CWD ?? process.cwd()
const fromUser = (p) => path.resolve(userDir, p)
const shown = (p) => {
  const rel = path.relative(userDir, p)
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel
}

function wrangler(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(wranglerBin, args, {
      cwd: root,
      env: { ...process.env, ...quiet },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    child.once('error', reject)
    child.once('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    )
  })
}

class WranglerError extends Error {}

/** `wrangler d1 execute DB --json ...` -> the results of every statement, or a WranglerError with wrangler's own message. */
async function d1Execute(target, input) {
  const { code, stdout, stderr } = await wrangler(['d1', 'execute', 'DB', ...target, '--json', ...input])
  let parsed
  try {
    parsed = JSON.parse(stdout)
  } catch {}
  if (code !== 0 || !Array.isArray(parsed)) {
    const message = parsed?.error?.text ?? parsed?.error?.message ?? (`${stdout}\n${stderr}`.trim() || `exit code ${code}`)
    throw new WranglerError(message)
  }
  return parsed
}

const rowsOf = (results) => results.flatMap((r) => r.results ?? [])

// The local database is one SQLite file shared with a running `wrangler dev`: when the dev server
// writes while a batch starts, the batch fails whole (nothing written) and workerd only says
// "internal error". A few tries later it goes through.
const BUSY = /internal error|SQLITE_BUSY|database is locked/i
const TRIES = 5
const LOCK = 'UPDATE users SET id = id WHERE 0'

/** The database as import-users.plan.mjs sees it, through wrangler. */
function wranglerDb({ remote, persistTo, work, dryRun, notes }) {
  const target = remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])]
  let files = 0
  const sqlFile = (statements) => {
    const file = path.join(work, `statements-${++files}.sql`)
    writeFileSync(file, `${statements.join(';\n')};\n`)
    return file
  }
  const missingTable = (e) => e instanceof WranglerError && /no such table: users/.test(e.message)
  let migrated = false

  async function local(input) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await d1Execute(target, input)
      } catch (e) {
        if (!(e instanceof WranglerError && BUSY.test(e.message))) throw e
        if (attempt === TRIES) {
          const hint = 'The local database stayed busy (is wrangler dev writing to it?): nothing was written; run again.'
          throw new WranglerError(`${e.message}\n${hint}`)
        }
        notes.push(`the local database was busy: tried again (${attempt})`)
        await new Promise((r) => setTimeout(r, 500 * attempt))
      }
    }
  }

  async function query(statements) {
    // The no-op UPDATE takes the write lock first: a long read-only batch would otherwise fail at
    // its end if the dev server wrote meanwhile (workerd upgrades the batch to a write: SQLITE_BUSY_SNAPSHOT).
    if (!remote) return rowsOf(await local(['--file', sqlFile([LOCK, ...statements])]))
    // Remote: --file goes through D1's import API, which returns no rows: SELECTs go as --command,
    // several per call while they fit in one argument.
    const rows = []
    let batch = []
    let size = 0
    const flush = async () => {
      if (batch.length > 0) rows.push(...rowsOf(await d1Execute(target, ['--command', batch.join(';\n')])))
      batch = []
      size = 0
    }
    for (const s of statements) {
      if (size + utf8Length(s) > MAX_STATEMENT_BYTES) await flush()
      batch.push(s)
      size += utf8Length(s) + 2
    }
    await flush()
    return rows
  }

  return {
    async query(statements) {
      try {
        return await query(statements)
      } catch (e) {
        if (!missingTable(e)) throw e
        if (remote) {
          throw new ImportError('the remote database has no users table: apply the migrations first (npm run deploy does)')
        }
        if (dryRun) {
          notes.push('the local database has no users table yet: npm run dev or an import creates it')
          return []
        }
        if (migrated) throw e
        // A fresh clone: create the local schema exactly as `npm run dev` does, then read again.
        const args = ['d1', 'migrations', 'apply', 'DB', ...target]
        const m = await wrangler(args)
        if (m.code !== 0) throw new WranglerError(`${m.stdout}\n${m.stderr}`.trim())
        migrated = true
        notes.push('applied the D1 migrations to the local database first')
        return await query(statements)
      }
    },
    // Locally wrangler returns every statement's rows, so the INSERTs say which ids they wrote;
    // D1's import API (--remote --file) returns none, and the plan verifies by reading back.
    returning: !remote,
    async execute(statements) {
      // One file: locally wrangler runs it as one D1 batch (all rows or none); remotely D1's import
      // API runs it and rolls back if it fails.
      const file = sqlFile(statements)
      return rowsOf(remote ? await d1Execute(target, ['--yes', '--file', file]) : await local(['--file', file]))
    },
  }
}

async function main() {
  let args
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        remote: { type: 'boolean', default: false },
        local: { type: 'boolean', default: false },
        'persist-to': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        rejects: { type: 'string' },
        jsonArray: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (e) {
    console.error(`${e.message}\n\n${USAGE}`)
    return 1
  }
  const { values: o, positionals } = args
  if (o.help) {
    console.log(USAGE)
    return 0
  }
  const problem =
    positionals.length !== 1
      ? 'give exactly one export file'
      : o.remote && o.local
        ? '--remote and --local exclude each other'
        : o.remote && o['persist-to']
          ? '--persist-to is for the local database only'
          : null
  if (problem) {
    console.error(`${problem}\n\n${USAGE}`)
    return 1
  }

  const file = fromUser(positionals[0])
  const remote = o.remote
  const dryRun = o['dry-run']
  const persistTo = o['persist-to'] ? fromUser(o['persist-to']) : undefined
  const rejectsPath = o.rejects ? fromUser(o.rejects) : dryRun ? undefined : `${file}.rejects.ndjson`
  const started = performance.now()

  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    console.error(`cannot read ${file}: ${e.message}`)
    return 1
  }
  const work = mkdtempSync(path.join(tmpdir(), 'import-users-'))
  const notes = []
  let report
  try {
    const db = wranglerDb({ remote, persistTo, work, dryRun, notes })
    report = await importUsers(text, db, { jsonArray: o.jsonArray, dryRun })
  } catch (e) {
    if (e instanceof ImportError) console.error(`${shown(file)}: ${e.message}; nothing was written`)
    else if (e instanceof WranglerError) console.error(`wrangler d1 execute failed:\n${e.message}`)
    else console.error(e?.stack ?? e)
    return 1
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  const where = remote
    ? 'the remote D1 database'
    : `the local D1 database (${shown(persistTo ?? path.join(root, '.wrangler', 'state'))})`
  console.log(`${dryRun ? 'Dry run, nothing written: ' : ''}${shown(file)} -> ${where}`)
  for (const note of notes) console.log(`  (${note})`)
  for (const line of summaryLines(report)) console.log(line)

  if (rejectsPath && (report.rejected > 0 || o.rejects)) {
    writeFileSync(rejectsPath, report.rejects.map((r) => `${JSON.stringify(r)}\n`).join(''))
    console.log(`  rejected records with their reasons: ${shown(rejectsPath)}`)
  } else if (report.rejected > 0) {
    const first = report.rejects.slice(0, 20)
    for (const r of first) console.log(`    ${r.line !== undefined ? `line ${r.line}` : `element ${r.element}`}: ${r.reason}`)
    const more = report.rejected - first.length
    if (more > 0) console.log(`    ... ${more} more: add --rejects <path> to write them all`)
  }
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return o.strict && report.rejected > 0 ? 2 : 0
}

process.exitCode = await main()
