// The user-event queues in wrangler.toml: what `npm run deploy` refuses about them (deployProblems,
// offline), what `npm run provision` creates (against a stand-in for wrangler that keeps a list of
// queues), and the WEBHOOK_SECRET that `npm run dev` writes into a new .dev.vars.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { deployProblems, queueProblems } from '../../scripts/lib/deploy-config.mjs'
import { readConfig } from '../../scripts/lib/wrangler-config.mjs'

const root = path.resolve(import.meta.dirname, '..', '..')
const tmp = mkdtempSync(path.join(tmpdir(), 'events-config-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

const wranglerToml = () => readConfig(path.join(root, 'wrangler.toml'))

/** wrangler.toml as parsed, changed by `edit`, and what deploy would refuse about `env`'s queues. */
function queueCheck(env, edit) {
  const config = wranglerToml()
  edit(config)
  return queueProblems(config, env)
}

describe('wrangler.toml declares the user-event queues everywhere', () => {
  it('the top level and each environment: the EVENTS producer, its consumer with retries and a dead-letter queue', () => {
    const config = wranglerToml()
    for (const [name, section] of [['top level', config], ...Object.entries(config.env)]) {
      const [producer] = section.queues.producers
      const [consumer] = section.queues.consumers
      assert.equal(producer.binding, 'EVENTS', name)
      assert.equal(consumer.queue, producer.queue, name)
      assert.equal(consumer.max_retries, 30, name)
      assert.equal(consumer.dead_letter_queue, `${producer.queue}-dlq`, name)
      assert.equal(section.vars.WEBHOOK_URL, '', `${name}: no receiver until one is configured`)
      assert.equal(section.vars.WEBHOOK_DIALECT, 'standard', name)
      assert.ok(!('WEBHOOK_SECRET' in section.vars), `${name}: WEBHOOK_SECRET is a secret, never a var`)
    }
  })

  it('deploy finds nothing to refuse about the queues of staging and production as committed', () => {
    const config = wranglerToml()
    for (const env of ['staging', 'production']) {
      assert.deepEqual(queueProblems(config, env), [])
      assert.ok(!deployProblems(config, env).some((p) => /queue|WEBHOOK/.test(p)), env)
    }
  })
})

describe('npm run deploy refuses an environment whose user events would be lost or misdirected', () => {
  it('no EVENTS producer (wrangler does not inherit it)', () => {
    const problems = queueCheck('production', (c) => delete c.env.production.queues)
    assert.deepEqual(problems, [
      '[env.production] lacks the queues.producers entry EVENTS: wrangler does not inherit bindings, copy it from the top level with a queue name of this environment',
    ])
  })

  it('no consumer for the queue: its events would never be delivered', () => {
    const problems = queueCheck('staging', (c) => (c.env.staging.queues.consumers = []))
    assert.deepEqual(problems, [
      '[env.staging] queue users-auth-events-staging (EVENTS) has no [[env.staging.queues.consumers]] entry: its events would never be delivered',
    ])
  })

  it('a consumer without a dead-letter queue (or with the queue itself as one)', () => {
    for (const dlq of [undefined, 'users-auth-events-staging']) {
      const problems = queueCheck('staging', (c) => (c.env.staging.queues.consumers[0].dead_letter_queue = dlq))
      assert.deepEqual(problems, [
        '[env.staging] the consumer of queue users-auth-events-staging has no dead_letter_queue of its own: an event never delivered would be dropped after its last retry',
      ])
    }
  })

  it("a queue another environment uses: they would deliver each other's events", () => {
    const problems = queueCheck('staging', (c) => (c.env.staging.queues.consumers[0].dead_letter_queue = 'users-auth-events-production-dlq'))
    assert.deepEqual(problems, [
      "[env.staging] queue users-auth-events-production-dlq is also used by [env.production]: give each environment its own queues (they would deliver each other's events)",
    ])
  })

  it('a WEBHOOK_URL that is not https (the events carry emails and names); https passes', () => {
    const problems = queueCheck('production', (c) => (c.env.production.vars.WEBHOOK_URL = 'https://mirror.acme.dev/hooks, http://rides.acme.dev/users?key=abc'))
    assert.deepEqual(problems, [
      '[env.production.vars] WEBHOOK_URL lists http://rides.acme.dev, which is not https: the events carry users\' emails and names',
    ])
  })

  it('npm run deploy prints the refusal and runs no wrangler command', () => {
    const config = wranglerToml()
    delete config.env.production.queues
    const file = path.join(mkdtempSync(path.join(tmp, 'deploy-')), 'wrangler.json')
    writeFileSync(file, JSON.stringify(config))
    const res = spawnSync(process.execPath, [path.join(root, 'scripts/deploy.mjs'), 'production', '--config', file], {
      cwd: root,
      env: { ...process.env, WRANGLER: '/bin/false' },
      encoding: 'utf8',
    })
    assert.equal(res.status, 1)
    assert.match(res.stderr, /Not deploying production:\n(.*\n)*  - \[env.production\] lacks the queues.producers entry EVENTS/)
  })
})

describe('npm run provision creates the queues', () => {
  /** A wrangler that knows the queues `existing`, answers `queues info` and `queues create`, and records its calls. */
  function queueAccount(existing) {
    const dir = mkdtempSync(path.join(tmp, 'queues-'))
    const state = path.join(dir, 'state.json')
    writeFileSync(state, JSON.stringify({ queues: existing, calls: [] }))
    const bin = path.join(dir, 'wrangler')
    writeFileSync(
      bin,
      `#!/usr/bin/env node
const fs = require('fs')
const s = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, 'utf8'))
const args = process.argv.slice(2).filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config')
s.calls.push(args)
let code = 0
if (args[0] === 'd1' && args[1] === 'list') console.log('[{"uuid":"3f1c6a0e-5b7d-4c2a-9e8f-0123456789ab","name":"users-auth-production"}]')
else if (args[0] === 'kv') console.log('[{"id":"0123456789abcdef0123456789abcdef","title":"users-auth-api-production-BLACKLIST"}]')
else if (args[1] === 'info') code = s.queues.includes(args[2]) ? 0 : 1
else if (args[1] === 'create') s.queues.push(args[2])
fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(s))
process.exit(code)
`,
    )
    chmodSync(bin, 0o755)
    return { bin, state: () => JSON.parse(readFileSync(state, 'utf8')) }
  }

  const provision = (account, file) =>
    spawnSync(process.execPath, [path.join(root, 'scripts/provision.mjs'), 'production', '--config', file], {
      cwd: root,
      env: { ...process.env, WRANGLER: account.bin },
      encoding: 'utf8',
    })

  it('creates the queue and its dead-letter queue (kept 14 days) that are missing, finds the others; a second run creates nothing', () => {
    const file = path.join(mkdtempSync(path.join(tmp, 'toml-')), 'wrangler.toml')
    writeFileSync(file, readFileSync(path.join(root, 'wrangler.toml'), 'utf8'))
    const account = queueAccount(['users-auth-events-production'])
    const first = provision(account, file)
    assert.equal(first.status, 0, first.stdout + first.stderr)
    assert.match(first.stdout, /Queue users-auth-events-production: found\nQueue users-auth-events-production-dlq: created\n/)
    const queueCalls = () => account.state().calls.filter((c) => c[0] === 'queues')
    assert.deepEqual(queueCalls(), [
      ['queues', 'info', 'users-auth-events-production'],
      ['queues', 'info', 'users-auth-events-production-dlq'],
      ['queues', 'create', 'users-auth-events-production-dlq', '--message-retention-period-secs', '1209600'],
    ])
    assert.deepEqual(account.state().queues, ['users-auth-events-production', 'users-auth-events-production-dlq'])

    const again = provision(account, file)
    assert.equal(again.status, 0, again.stdout + again.stderr)
    assert.match(again.stdout, /Queue users-auth-events-production: found\nQueue users-auth-events-production-dlq: found\n/)
    assert.equal(queueCalls().filter((c) => c[1] === 'create').length, 1)
  })
})

describe('npm run dev writes a WEBHOOK_SECRET into a new .dev.vars', () => {
  it('whsec_ and the base64 of 32 random bytes, a new one each time; WEBHOOK_URL left commented out', () => {
    const secrets = [1, 2].map(() => {
      const dir = mkdtempSync(path.join(tmp, 'dev-vars-'))
      const res = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-dev-vars.mjs')], { cwd: dir, encoding: 'utf8' })
      assert.equal(res.status, 0, res.stderr)
      const text = readFileSync(path.join(dir, '.dev.vars'), 'utf8')
      assert.match(text, /^# WEBHOOK_URL=http:\/\/127\.0\.0\.1:4000\/webhooks\/users$/m)
      return /^WEBHOOK_SECRET=whsec_(.+)$/m.exec(text)[1]
    })
    for (const secret of secrets) assert.equal(Buffer.from(secret, 'base64').length, 32)
    assert.notEqual(secrets[0], secrets[1])
  })
})
