// `npm run import-users` through wrangler: the database that import-users.plan.mjs sees, made of
// `wrangler d1 execute DB --local|--remote --json --file|--command` calls.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { ImportError, MAX_STATEMENT_BYTES, utf8Length } from './import-users.plan.mjs'
import { root, wranglerBin, wranglerEnv } from './lib/wrangler-run.mjs'

function wrangler(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(wranglerBin(), args, {
      cwd: root,
      env: wranglerEnv(),
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

/** wrangler failed; the message is wrangler's own. */
export class WranglerError extends Error {}

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

/**
 * What every wrangler call of the import names: the database (--local or --remote), the
 * environment of wrangler.toml (--env: [env.staging], [env.production]; without it the top-level
 * config, which is the local development one) and the config file when it is not wrangler.toml.
 */
export function targetArgs({ remote, env, config, persistTo }) {
  return [
    ...(remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])]),
    ...(env ? ['--env', env] : []),
    ...(config ? ['--config', config] : []),
  ]
}

/**
 * The database as import-users.plan.mjs sees it. `work` is a directory for the SQL files; `notes`
 * collects what the CLI should tell the user (retries, migrations applied).
 */
export function wranglerDb({ remote, env, config, persistTo, work, dryRun, notes }) {
  const target = targetArgs({ remote, env, config, persistTo })
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
          throw new ImportError(
            `the remote database has no users table: apply the migrations first (npm run deploy -- ${env} does)`,
          )
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
