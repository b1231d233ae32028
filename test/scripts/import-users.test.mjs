// `npm run import-users` chooses its database the way `npm run deploy` does: --remote needs --env
// (the top-level config is the local development one, with a placeholder database id), the
// environment must exist and have a real D1 id, and every wrangler call names that environment.
// No network: wrangler is a recorder that answers like `wrangler d1 execute --json` would.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'

const root = path.resolve(import.meta.dirname, '..', '..')
const tmp = mkdtempSync(path.join(tmpdir(), 'import-users-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

const D1_ID = '3f1c6a0e-5b7d-4c2a-9e8f-0123456789ab'

/**
 * A stand-in for wrangler: records its arguments; `d1 execute` prints an empty result as JSON, or,
 * with `noTable`, wrangler's "no such table" error until `d1 migrations apply` has run.
 */
function recorder({ noTable = false } = {}) {
  const dir = mkdtempSync(path.join(tmp, 'recorder-'))
  const bin = path.join(dir, 'wrangler')
  const log = path.join(dir, 'calls.jsonl')
  const migrated = path.join(dir, 'migrated')
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('fs')
const args = process.argv.slice(2)
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n')
if (args[1] === 'migrations') { fs.writeFileSync(${JSON.stringify(migrated)}, ''); process.exit(0) }
if (${noTable} && !fs.existsSync(${JSON.stringify(migrated)})) {
  console.log(JSON.stringify({ error: { text: 'no such table: users: SQLITE_ERROR' } }))
  process.exit(1)
}
console.log(JSON.stringify([{ results: [], success: true }]))
`,
  )
  chmodSync(bin, 0o755)
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [])
  return { bin, calls }
}

/** A wrangler config (JSON) whose production database has a real id; staging keeps a placeholder. */
function configFile() {
  const db = (name, id) => [{ binding: 'DB', database_name: name, database_id: id, migrations_dir: 'migrations' }]
  const config = {
    name: 'users-auth-api',
    main: path.join(root, 'src/index.ts'),
    vars: { BCRYPT_COST: '10' },
    d1_databases: db('users-auth', '00000000-0000-0000-0000-000000000000'),
    env: {
      staging: { vars: { BCRYPT_COST: '11' }, d1_databases: db('users-auth-staging', '00000000-0000-0000-0000-000000000000') },
      production: { vars: { BCRYPT_COST: '12' }, d1_databases: db('users-auth-production', D1_ID) },
    },
  }
  const file = path.join(mkdtempSync(path.join(tmp, 'config-')), 'wrangler.json')
  writeFileSync(file, JSON.stringify(config, null, 2))
  return file
}

/** The committed fixture, copied so that its default rejects file lands in a temp folder. */
function exportFile() {
  const file = path.join(mkdtempSync(path.join(tmp, 'export-')), 'users.json')
  copyFileSync(path.join(root, 'test/fixtures/users-export.ndjson'), file)
  return file
}

function importUsers(args, { wrangler }) {
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/import-users.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, WRANGLER: wrangler, INIT_CWD: root },
    encoding: 'utf8',
  })
  return { code: res.status, out: res.stdout + res.stderr }
}

describe('npm run import-users refuses a remote import without a deployed environment, before running wrangler', () => {
  it('--remote without --env: names the flag and both environments', () => {
    const rec = recorder()
    const { code, out } = importUsers([exportFile(), '--remote'], { wrangler: rec.bin })
    assert.equal(code, 1)
    assert.match(out, /^--remote needs --env <staging\|production>: --remote --env staging or --remote --env production\.$/m)
    assert.match(out, /top-level config of wrangler\.toml, the local development one \(a placeholder database_id\)/)
    assert.deepEqual(rec.calls(), [])
  })

  it('an environment that wrangler.toml does not have', () => {
    const rec = recorder()
    const { code, out } = importUsers([exportFile(), '--remote', '--env', 'prod'], { wrangler: rec.bin })
    assert.equal(code, 1)
    assert.match(out, /--env prod: wrangler\.toml has no \[env\.prod\]; it has staging, production\./)
    assert.deepEqual(rec.calls(), [])
  })

  it('an environment whose D1 id is still a placeholder: names npm run provision', () => {
    for (const args of [['--remote', '--env', 'production'], ['--remote', '--env', 'staging', '--config', configFile()]]) {
      const env = args[2]
      const rec = recorder()
      const { code, out } = importUsers([exportFile(), ...args, '--dry-run'], { wrangler: rec.bin })
      assert.equal(code, 1, out)
      assert.match(out, new RegExp(`^Not importing into ${env}:$`, 'm'))
      assert.match(out, new RegExp(`\\[env\\.${env}\\] D1 DB has a placeholder database_id: run \`npm run provision -- ${env}\``))
      assert.deepEqual(rec.calls(), [])
    }
  })
})

describe('npm run import-users passes the environment to every wrangler call', () => {
  it('--remote --env production: every d1 execute names --remote --env production and the config', () => {
    const rec = recorder()
    const config = configFile()
    const { code, out } = importUsers([exportFile(), '--remote', '--env', 'production', '--config', config], { wrangler: rec.bin })
    assert.equal(code, 0, out)
    assert.match(out, new RegExp(`-> the remote D1 database of production \\(users-auth-production, ${D1_ID}\\)`))
    const calls = rec.calls()
    assert.ok(calls.length >= 2, JSON.stringify(calls))
    for (const args of calls) {
      assert.deepEqual(args.slice(0, 9), ['d1', 'execute', 'DB', '--remote', '--env', 'production', '--config', config, '--json'])
    }
    // The reads go as --command, the INSERTs as one --file through D1's import API.
    assert.ok(calls.some((a) => a[9] === '--command' && /^SELECT id, email/.test(a[10])))
    assert.ok(calls.some((a) => a[9] === '--yes' && a[10] === '--file'))
    // The recorder wrote nothing, and the import says so rather than counting the rows as imported.
    assert.match(out, /^ {2}imported {17}0$/m)
    assert.match(out, /^ {11}8 {2}not written \(no conflicting account found\)$/m)
  })

  it('--remote --env production --dry-run: reads only, and compares costs with [env.production.vars]', () => {
    const rec = recorder()
    const config = configFile()
    const { code, out } = importUsers([exportFile(), '--remote', '--env', 'production', '--config', config, '--dry-run'], {
      wrangler: rec.bin,
    })
    assert.equal(code, 0, out)
    const calls = rec.calls()
    assert.ok(calls.length >= 1)
    for (const args of calls) assert.deepEqual(args.slice(3, 10), ['--remote', '--env', 'production', '--config', config, '--json', '--command'])
    assert.match(out, /^ {2}bcrypt cost of the new hashes: 7 \(1\), 10 \(6\), 12 \(1\)$/m)
    assert.match(out, /^ {2}7 of them at another cost than BCRYPT_COST of \[env\.production\.vars\] \(12\): /m)
  })

  it('locally with --env staging, the migrations of a fresh state are applied to that environment too', () => {
    const rec = recorder({ noTable: true })
    const state = mkdtempSync(path.join(tmp, 'state-'))
    const { code, out } = importUsers([exportFile(), '--env', 'staging', '--persist-to', state], { wrangler: rec.bin })
    assert.equal(code, 0, out)
    assert.match(out, /applied the D1 migrations to the local database first/)
    const calls = rec.calls()
    const target = ['--local', '--persist-to', state, '--env', 'staging']
    assert.deepEqual(calls[0].slice(0, 8), ['d1', 'execute', 'DB', ...target])
    assert.deepEqual(calls[1], ['d1', 'migrations', 'apply', 'DB', ...target])
    for (const args of calls.slice(2)) assert.deepEqual(args.slice(0, 8), ['d1', 'execute', 'DB', ...target])
  })

  it('locally without --env: the top-level config, as before, and its [vars] BCRYPT_COST', () => {
    const rec = recorder()
    const state = mkdtempSync(path.join(tmp, 'state-'))
    const { code, out } = importUsers([exportFile(), '--persist-to', state, '--dry-run'], { wrangler: rec.bin })
    assert.equal(code, 0, out)
    for (const args of rec.calls()) {
      assert.deepEqual(args.slice(0, 6), ['d1', 'execute', 'DB', '--local', '--persist-to', state])
      assert.ok(!args.includes('--env') && !args.includes('--remote'), JSON.stringify(args))
    }
    assert.match(out, /^ {2}2 of them at another cost than BCRYPT_COST of \[vars\] \(10\): /m)
  })
})

describe('exports and rejects stay out of the repository', () => {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  const isCheckout = git('rev-parse', '--is-inside-work-tree').stdout.trim() === 'true'

  it('the documented import commands\' files are git-ignored at the root, the committed fixtures are not', { skip: !isCheckout && 'not a git checkout' }, () => {
    const files = ['users.json', 'users.ndjson', 'users-2024.json', 'users.json.rejects.ndjson', 'users.rejects.ndjson', 'prod.export.json']
    const ignored = git('check-ignore', '--no-index', ...files).stdout.trim().split('\n')
    assert.deepEqual(ignored, files)
    const tracked = git('ls-files', 'test/fixtures').stdout.trim().split('\n')
    assert.ok(tracked.includes('test/fixtures/users-export.json') && tracked.includes('test/fixtures/users-export.ndjson'))
    // No committed file matches an ignore pattern.
    assert.equal(git('ls-files', '--cached', '--ignored', '--exclude-standard').stdout, '')
  })
})
