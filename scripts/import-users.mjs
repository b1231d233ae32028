// npm run import-users -- <file> [--remote --env <staging|production>] [--dry-run] [--rejects <path>] [--jsonArray]
//                               [--strict] [--persist-to <dir>] [--config <file>]
//
// Loads users exported with `mongoexport` into D1: the local database by default (the one
// `npm run dev` uses), a deployed environment's with --remote --env <name>. A thin wrapper: the logic is in
// import-users.plan.mjs, the wrangler calls in import-users.wrangler.mjs; this file reads the
// options and the export, and prints the counts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ImportError, importUsers, summaryLines } from './import-users.plan.mjs'
import { WranglerError, wranglerDb } from './import-users.wrangler.mjs'
import { placeholderD1Problems } from './lib/deploy-config.mjs'
import { readConfig } from './lib/wrangler-config.mjs'

const USAGE = `Usage: npm run import-users -- <file> [options]

Loads users exported with mongoexport (NDJSON, or a JSON array with --jsonArray; Extended JSON v1
or v2) into D1. Existing accounts are never changed; running it again is a no-op.

  --remote            a deployed database (wrangler login needed); needs --env; default: the local one (npm run dev's)
  --env <name>        the environment of wrangler.toml: staging or production ([env.<name>]); required with
                      --remote (the top-level config is the local development one, with placeholder ids)
  --persist-to <dir>  the local state directory, as for wrangler dev (default: .wrangler/state)
  --dry-run           write nothing to the database; print what would happen
  --rejects <path>    where the rejected records go, one JSON object a line with its reason
                      (default: <file>.rejects.ndjson; in a dry run they are printed instead)
  --jsonArray         the file is a JSON array (mongoexport --jsonArray)
  --strict            exit with code 2 if any record is rejected
  --config <file>     another wrangler config than wrangler.toml

Exit codes: 0 done, 1 error (a write that fails writes nothing: run it again; or a row was stored
differently from the export), 2 --strict and something was rejected.`

const root = path.resolve(import.meta.dirname, '..')
// npm runs scripts from the package root: paths given by the user are relative to where they typed them.
const userDir = process.env.INIT_CWD ?? process.cwd()
const fromUser = (p) => path.resolve(userDir, p)
const shown = (p) => {
  const rel = path.relative(userDir, p)
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel
}

/**
 * Which database the wrangler calls reach, or why not: --remote needs --env (the top-level config
 * is the local development one: its database_id is a placeholder, a database nobody deployed), the
 * environment must exist and its D1 id must not be a placeholder. Also the BCRYPT_COST that
 * environment's Worker re-hashes at.
 */
function checkTarget(config, { remote, env, configName }) {
  const envs = Object.keys(config.env ?? {})
  if (remote && !env) {
    return {
      problems: [
        `--remote needs --env <${envs.join('|') || 'name'}>: ${envs.map((e) => `--remote --env ${e}`).join(' or ')}.`,
        `Without --env wrangler would use the top-level config of ${configName}, the local development one (a placeholder database_id), not a deployed database.`,
      ],
    }
  }
  if (env !== undefined && !envs.includes(env)) {
    return { problems: [`--env ${env}: ${configName} has no [env.${env}]; it has ${envs.join(', ') || 'none'}.`] }
  }
  const section = env ? config.env[env] : config
  const db = (section.d1_databases ?? []).find((d) => d.binding === 'DB')
  if (remote) {
    const problems = db ? placeholderD1Problems(config, env) : [`[env.${env}] has no D1 database with binding DB`]
    if (problems.length > 0) return { problems: [`Not importing into ${env}:`, ...problems.map((p) => `  - ${p}`)] }
  }
  return {
    database: db && `${db.database_name}, ${db.database_id}`,
    bcrypt: {
      bcryptCost: Number(section.vars?.BCRYPT_COST ?? 10),
      costFrom: `BCRYPT_COST of ${env ? `[env.${env}.vars]` : '[vars]'}`,
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
        env: { type: 'string' },
        config: { type: 'string' },
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
  const configPath = o.config ? fromUser(o.config) : path.join(root, 'wrangler.toml')
  let config
  try {
    config = readConfig(configPath)
  } catch (e) {
    console.error(`cannot read ${shown(configPath)}: ${e.message}`)
    return 1
  }
  const target = checkTarget(config, { remote: o.remote, env: o.env, configName: shown(configPath) })
  if (target.problems) {
    for (const line of target.problems) console.error(line)
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
    const db = wranglerDb({ remote, env: o.env, config: o.config ? configPath : undefined, persistTo, work, dryRun, notes })
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
    ? `the remote D1 database of ${o.env} (${target.database})`
    : `the local D1 database${o.env ? ` of ${o.env}` : ''} (${shown(persistTo ?? path.join(root, '.wrangler', 'state'))})`
  console.log(`${dryRun ? 'Dry run, nothing written: ' : ''}${shown(file)} -> ${where}`)
  for (const note of notes) console.log(`  (${note})`)
  for (const line of summaryLines(report, target.bcrypt)) console.log(line)

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
  if (report.altered > 0) {
    console.error(
      `ERROR: ${report.altered} row${report.altered === 1 ? ' was' : 's were'} written, but D1 holds other values than the export ` +
        '(code altered in the rejects): fix those accounts by hand',
    )
    return 1
  }
  return o.strict && report.rejected > 0 ? 2 : 0
}

process.exitCode = await main()
