// `npm run deploy` refuses what must not be deployed, before any wrangler command runs, and runs the
// right commands in the right order when the config is complete. No network: wrangler is either the
// real one in --dry-run (a build) or, where the script would reach Cloudflare, a recorder.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { withIdInToml } from '../../scripts/lib/deploy-config.mjs'
import { readConfig, withAbsolutePaths } from '../../scripts/lib/wrangler-config.mjs'

const root = path.resolve(import.meta.dirname, '..', '..')
const tmp = mkdtempSync(path.join(tmpdir(), 'deploy-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

const D1_ID = '3f1c6a0e-5b7d-4c2a-9e8f-0123456789ab'
const KV_ID = '0123456789abcdef0123456789abcdef'

/** wrangler.toml as a JSON config in a temp folder (paths made absolute), changed by `edit`. */
function configFile(edit = () => {}) {
  const config = withAbsolutePaths(readConfig(path.join(root, 'wrangler.toml')), root)
  edit(config)
  const file = path.join(mkdtempSync(path.join(tmp, 'config-')), 'wrangler.json')
  writeFileSync(file, JSON.stringify(config, null, 2))
  return file
}

/** A deployable environment: real ids, a real sender and the front end's page. */
const withRealIds = (config) => {
  for (const env of Object.values(config.env)) {
    env.d1_databases[0].database_id = D1_ID
    env.kv_namespaces[0].id = KV_ID
    env.vars.MAIL_FROM = 'no-reply@auth.acme-widgets.dev'
    env.vars.APP_URL = 'https://app.acme-widgets.dev/account'
  }
}

/** A stand-in for wrangler that records its arguments and succeeds: it never reaches Cloudflare. */
function recorder() {
  const dir = mkdtempSync(path.join(tmp, 'recorder-'))
  const bin = path.join(dir, 'wrangler')
  const log = path.join(dir, 'calls.jsonl')
  writeFileSync(bin, `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n')\n`)
  chmodSync(bin, 0o755)
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [])
  return { bin, calls }
}

function deploy(args, { wrangler } = {}) {
  const env = { ...process.env }
  if (wrangler) env.WRANGLER = wrangler
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/deploy.mjs'), ...args], { cwd: root, env, encoding: 'utf8' })
  return { code: res.status, out: res.stdout + res.stderr }
}

describe('npm run deploy refuses, before running wrangler', () => {
  it('no environment (the top-level dev config), with or without --dry-run', () => {
    for (const args of [[], ['--dry-run']]) {
      const rec = recorder()
      const { code, out } = deploy(args, { wrangler: rec.bin })
      assert.equal(code, 1)
      assert.match(out, /Name the environment to deploy: npm run deploy -- staging or npm run deploy -- production/)
      assert.match(out, /never deployed/)
      assert.deepEqual(rec.calls(), [])
    }
  })

  it('the example sender, and no APP_URL in any environment (also where the demo page is served)', () => {
    const file = configFile((config) => {
      withRealIds(config)
      config.env.production.vars.MAIL_FROM = 'no-reply@example.com'
      config.env.production.vars.APP_URL = ''
      config.env.staging.vars.APP_URL = '' // staging serves the demo page: still refused
    })
    for (const env of ['production', 'staging']) {
      const rec = recorder()
      const { code, out } = deploy([env, '--dry-run', '--config', file], { wrangler: rec.bin })
      assert.equal(code, 1, out)
      if (env === 'production') {
        assert.match(out, /MAIL_FROM is "no-reply@example.com": set an address on a domain onboarded to Cloudflare Email Service/)
      }
      assert.match(out, new RegExp(`\\[env\\.${env}\\.vars\\] APP_URL is empty: set it to the page that opens the verification and reset links`))
      assert.deepEqual(rec.calls(), [])
    }
  })

  it('an environment that wrangler.toml does not have', () => {
    const rec = recorder()
    const { code, out } = deploy(['prod'], { wrangler: rec.bin })
    assert.equal(code, 1)
    assert.match(out, /No environment "prod" in wrangler.toml: it has staging, production/)
    assert.deepEqual(rec.calls(), [])
  })

  for (const env of ['staging', 'production']) {
    it(`the placeholder ids of [env.${env}], naming the commands that create them (--dry-run too)`, () => {
      for (const args of [[env], [env, '--dry-run']]) {
        const rec = recorder()
        const { code, out } = deploy(args, { wrangler: rec.bin })
        assert.equal(code, 1)
        assert.match(out, new RegExp(`Not deploying ${env}`))
        assert.match(out, new RegExp(`D1 DB has a placeholder database_id: run \`npm run provision -- ${env}\``))
        assert.match(out, new RegExp(`wrangler d1 create users-auth-${env}`))
        assert.match(out, new RegExp(`wrangler kv namespace create users-auth-api-${env}-BLACKLIST`))
        assert.deepEqual(rec.calls(), [])
      }
    })
  }

  it('an environment that lacks a binding or a var of the top level', () => {
    const file = configFile((c) => {
      withRealIds(c)
      c.env.production.ratelimits = c.env.production.ratelimits.filter((r) => r.name !== 'IP_LIMITER')
      delete c.env.production.vars.CORS_ORIGINS
    })
    const rec = recorder()
    const { code, out } = deploy(['production', '--config', file], { wrangler: rec.bin })
    assert.equal(code, 1)
    assert.match(out, /\[env.production\] lacks the ratelimits entry IP_LIMITER/)
    assert.match(out, /\[env.production.vars\] lacks CORS_ORIGINS/)
    assert.deepEqual(rec.calls(), [])
  })

  it('two environments whose rate limiters share a namespace_id', () => {
    const file = configFile((c) => {
      withRealIds(c)
      c.env.staging.ratelimits[0].namespace_id = c.env.production.ratelimits[0].namespace_id
    })
    const { code, out } = deploy(['staging', '--dry-run', '--config', file], { wrangler: recorder().bin })
    assert.equal(code, 1)
    assert.match(out, /EMAIL_LIMITER shares namespace_id 3004 with \[env.production\]/)
  })

  it('the environment named with --env <name>, --env=<name> or -e <name> exactly as with the positional name', () => {
    for (const env of ['production', 'prod']) {
      const positional = deploy([env, '--dry-run'], { wrangler: recorder().bin })
      for (const args of [['--env', env], [`--env=${env}`], ['-e', env], [env, '--env', env]]) {
        const rec = recorder()
        const { code, out } = deploy([...args, '--dry-run'], { wrangler: rec.bin })
        assert.deepEqual({ code, out }, positional, args.join(' '))
        assert.deepEqual(rec.calls(), [])
      }
    }
  })

  it('two different environments, as the name and --env', () => {
    const rec = recorder()
    const { code, out } = deploy(['production', '--env', 'staging'], { wrangler: rec.bin })
    assert.equal(code, 1)
    assert.match(out, /one environment at a time: got production and --env staging/)
    assert.match(out, /usage: npm run deploy -- <environment>/)
    assert.deepEqual(rec.calls(), [])
  })

  it('an unknown option', () => {
    const { code, out } = deploy(['production', '--force'], { wrangler: recorder().bin })
    assert.equal(code, 1)
    assert.match(out, /unknown option --force/)
    assert.match(out, /usage: npm run deploy -- <environment>/)
  })
})

describe('npm run deploy with a complete environment', () => {
  it('--dry-run builds that environment with the real wrangler, offline, and deploys nothing', () => {
    const file = configFile(withRealIds)
    const { code, out } = deploy(['production', '--dry-run', '--config', file])
    assert.equal(code, 0, out)
    assert.match(out, /production: checks passed/)
    assert.match(out, /pages: assets from .*public-api-only/)
    assert.match(out, /--dry-run: exiting now/)
    assert.match(out, /Dry run: nothing deployed/)
  })

  it('applies the remote migrations of that environment, then deploys it (named either way)', () => {
    const file = configFile(withRealIds)
    for (const named of [['staging'], ['--env', 'staging'], ['--env=staging']]) {
      const rec = recorder()
      const { code, out } = deploy([...named, '--config', file], { wrangler: rec.bin })
      assert.equal(code, 0, out)
      assert.deepEqual(rec.calls(), [
        ['d1', 'migrations', 'apply', 'DB', '--remote', '--config', file, '--env', 'staging'],
        ['deploy', '--config', file, '--env', 'staging'],
      ])
    }
  })
})

describe('npm run provision writes ids into wrangler.toml', () => {
  it('sets the id of one binding of one environment, and keeps everything else as it was', () => {
    const text = readFileSync(path.join(root, 'wrangler.toml'), 'utf8')
    let next = withIdInToml(text, { env: 'staging', table: 'd1_databases', binding: 'DB', key: 'database_id', id: D1_ID })
    next = withIdInToml(next, { env: 'staging', table: 'kv_namespaces', binding: 'BLACKLIST', key: 'id', id: KV_ID })
    const file = path.join(mkdtempSync(path.join(tmp, 'toml-')), 'wrangler.toml')
    writeFileSync(file, next)
    const config = readConfig(file)
    assert.equal(config.env.staging.d1_databases[0].database_id, D1_ID)
    assert.equal(config.env.staging.kv_namespaces[0].id, KV_ID)
    assert.equal(config.env.production.d1_databases[0].database_id, '00000000-0000-0000-0000-000000000000')
    assert.equal(config.d1_databases[0].database_id, '00000000-0000-0000-0000-000000000000')
    // Only the two id lines changed.
    const changed = text.split('\n').filter((line, i) => line !== next.split('\n')[i])
    assert.equal(changed.length, 2)
  })

  it('names what it cannot find', () => {
    const text = readFileSync(path.join(root, 'wrangler.toml'), 'utf8')
    assert.throws(() => withIdInToml(text, { env: 'qa', table: 'd1_databases', binding: 'DB', key: 'database_id', id: D1_ID }), /no \[\[env.qa.d1_databases\]\]/)
  })
})

describe('npm run provision', () => {
  /** A stand-in for wrangler's d1/kv commands, with an account that has the KV namespace but no database yet. */
  function fakeAccount() {
    const dir = mkdtempSync(path.join(tmp, 'account-'))
    const bin = path.join(dir, 'wrangler')
    const log = path.join(dir, 'calls.jsonl')
    const dbs = path.join(dir, 'dbs.json')
    writeFileSync(dbs, '[]')
    writeFileSync(
      bin,
      `#!/usr/bin/env node
const fs = require('fs')
const args = process.argv.slice(2).filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config')
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n')
const dbs = JSON.parse(fs.readFileSync(${JSON.stringify(dbs)}, 'utf8'))
const cmd = args.join(' ')
if (cmd === 'd1 list --json') console.log(JSON.stringify(dbs))
else if (args[0] === 'd1' && args[1] === 'create') {
  dbs.push({ uuid: ${JSON.stringify(D1_ID)}, name: args[2] })
  fs.writeFileSync(${JSON.stringify(dbs)}, JSON.stringify(dbs))
  console.log('Successfully created DB')
} else if (cmd === 'kv namespace list') console.log(JSON.stringify([{ id: ${JSON.stringify(KV_ID)}, title: 'users-auth-api-staging-BLACKLIST' }]))
else if (args[0] === 'queues' && (args[1] === 'info' || args[1] === 'create')) process.exit(0) // test/scripts/events-config.test.mjs
else process.exit(3)
`,
    )
    chmodSync(bin, 0o755)
    return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) }
  }

  const provision = (args, wrangler) =>
    spawnSync(process.execPath, [path.join(root, 'scripts/provision.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, WRANGLER: wrangler },
      encoding: 'utf8',
    })

  it('creates what is missing, finds what exists, writes both ids into wrangler.toml; a second run changes nothing', () => {
    const file = path.join(mkdtempSync(path.join(tmp, 'provision-')), 'wrangler.toml')
    writeFileSync(file, readFileSync(path.join(root, 'wrangler.toml'), 'utf8'))
    const account = fakeAccount()
    const first = provision(['staging', '--config', file], account.bin)
    assert.equal(first.status, 0, first.stdout + first.stderr)
    assert.match(first.stdout, new RegExp(`D1 DB: users-auth-staging created \\(${D1_ID}\\)`))
    assert.match(first.stdout, new RegExp(`KV BLACKLIST: users-auth-api-staging-BLACKLIST found \\(${KV_ID}\\)`))
    assert.match(first.stdout, /2 id\(s\) written to wrangler.toml \[env.staging\]: commit it/)
    const idCalls = () => account.calls().filter((c) => c[0] !== 'queues') // the queues: events-config.test.mjs
    assert.deepEqual(idCalls(), [['d1', 'list', '--json'], ['d1', 'create', 'users-auth-staging'], ['d1', 'list', '--json'], ['kv', 'namespace', 'list']])
    const config = readConfig(file)
    assert.equal(config.env.staging.d1_databases[0].database_id, D1_ID)
    assert.equal(config.env.staging.kv_namespaces[0].id, KV_ID)
    assert.equal(config.env.production.d1_databases[0].database_id, '00000000-0000-0000-0000-000000000000')

    const again = provision(['staging', '--config', file], account.bin)
    assert.equal(again.status, 0)
    assert.match(again.stdout, /Nothing to do: \[env.staging\] has real ids/)
    assert.equal(idCalls().length, 4, 'no wrangler call the second time')
  })

  it('takes the environment as --env <name> or --env=<name> exactly as the positional name', () => {
    const runs = [['staging'], ['--env', 'staging'], ['--env=staging']].map((named) => {
      const file = path.join(mkdtempSync(path.join(tmp, 'provision-')), 'wrangler.toml')
      writeFileSync(file, readFileSync(path.join(root, 'wrangler.toml'), 'utf8'))
      const account = fakeAccount()
      const res = provision([...named, '--config', file], account.bin)
      return { status: res.status, stdout: res.stdout, calls: account.calls(), toml: readFileSync(file, 'utf8') }
    })
    assert.equal(runs[0].status, 0, runs[0].stdout)
    for (const other of runs.slice(1)) assert.deepEqual(other, runs[0])
  })

  it('refuses two different environments, as the name and --env', () => {
    const rec = recorder()
    const res = provision(['staging', '--env', 'production'], rec.bin)
    assert.equal(res.status, 1)
    assert.match(res.stderr, /one environment at a time: got staging and --env production/)
    assert.deepEqual(rec.calls(), [])
  })

  it('refuses a missing or unknown environment', () => {
    for (const args of [[], ['prod']]) {
      const res = provision(args, recorder().bin)
      assert.equal(res.status, 1)
      assert.match(res.stderr, /usage: npm run provision -- <environment> {3}\(staging or production\)/)
    }
  })
})
