// `npm run bench [-- --users 100000 --duration 10 --rounds 5 --connections 10 --cpu-connections 1 --port 8790 --pairs 60]`
// `npm run bench -- --webhook-only`: only register without and with WEBHOOK_URL, added to the last results
//
// Starts the Worker with `wrangler dev` on fresh local state (its own persist dir and port), seeds
// users with batched SQL, then measures every endpoint with autocannon against the floors it is
// bounded by (the 404 handler, GET /health, one bcrypt compare). A second Worker, with WEBHOOK_URL
// at a local receiver, answers register with its user event queued: registers on the two, one at a
// time and alternating, compare them (the receiver counts what the consumer delivers). Prints a markdown table, writes bench/results/users-<N>.json and regenerates
// bench/RESULTS.md. Exits 1 when a request that should have succeeded did not.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import autocannon from 'autocannon'
import { compare, hash } from 'bcrypt-ts'
import { sign } from 'hono/jwt'
import { readConfig } from '../scripts/lib/wrangler-config.mjs'
import { wranglerBin, wranglerEnv } from '../scripts/lib/wrangler-run.mjs'
import { renderResults } from './report.mjs'

const root = path.resolve(import.meta.dirname, '..')
const wrangler = wranglerBin()

const { values: opts } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    // Each scenario's duration is split into rounds, run interleaved with the other scenarios, so
    // that drift in this shared machine's speed hits every scenario alike (the ratios compare them).
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    // Login and register are bcrypt-bound: one isolate runs one compare at a time, so with N
    // connections their p50 is N compares of queueing. They get their own (default 1) connection count.
    'cpu-connections': { type: 'string', default: '1' },
    port: { type: 'string', default: '8790' },
    // Registers on each of the two Workers (without and with WEBHOOK_URL), alternating.
    pairs: { type: 'string', default: '60' },
    // Only that comparison, added to the last results of --users N (the rest stays as it was measured).
    'webhook-only': { type: 'boolean', default: false },
  },
})
const USERS = Number(opts.users)
const DURATION = Number(opts.duration)
const ROUNDS = Number(opts.rounds)
const CONNECTIONS = Number(opts.connections)
const CPU_CONNECTIONS = Number(opts['cpu-connections'])
const PORT = Number(opts.port)
const BASE = `http://127.0.0.1:${PORT}`
// The Worker with WEBHOOK_URL set (its inspector on PORT + 3).
const WEBHOOK_BASE = `http://127.0.0.1:${PORT + 2}`
const PAIRS = Number(opts.pairs)

// The production configuration, read from wrangler.toml: the bench measures what would be deployed.
const { vars } = readConfig(path.join(root, 'wrangler.toml'))
const COST = Number(vars.BCRYPT_COST)
const ISSUER = vars.JWT_ISSUER
const AUDIENCE = vars.JWT_AUDIENCE
const TTL = Number(vars.JWT_TTL_SECONDS)
const SECRET = randomBytes(48).toString('base64url')
const PASSWORD = 'bench password 1'

const log = (...a) => console.error('[bench]', ...a)
const run = (args, what) => {
  const r = spawnSync(wrangler, args, { cwd: root, env: wranglerEnv(), encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.status !== 0) throw new Error(`${what} failed:\n${r.stdout}\n${r.stderr}`)
  return r.stdout + r.stderr
}

/** Bundle size (raw and gzip, as wrangler reports it) and startup CPU from `wrangler check startup`. */
function measureBundle(tmp) {
  const out = run(['deploy', '--dry-run', '--outdir', path.join(tmp, 'dist')], 'wrangler deploy --dry-run')
  const [, raw, gzip] = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out) ?? []
  const js = readFileSync(path.join(tmp, 'dist', 'index.js'))
  const profilePath = path.join(tmp, 'startup.cpuprofile')
  run(['check', 'startup', '--outfile', profilePath], 'wrangler check startup')
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'))
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  const busyUs = profile.samples.reduce((sum, id, i) => sum + (idle.has(id) ? 0 : profile.timeDeltas[i]), 0)
  return {
    uploadKiB: Number(raw),
    uploadGzipKiB: Number(gzip),
    workerJsKiB: js.length / 1024,
    workerJsGzipKiB: gzipSync(js).length / 1024,
    startupMs: busyUs / 1000,
  }
}

/** Seeds USERS users with one bcrypt hash (same password) in multi-row INSERTs through D1. */
function seed(state, tmp) {
  const passwordHash = hashOnce
  const now = new Date().toISOString()
  const users = []
  const statements = []
  const ROWS = 400 // ~80 KB per statement, under D1's 100 KB statement limit
  for (let i = 0; i < USERS; i += ROWS) {
    const rows = []
    for (let j = i; j < Math.min(i + ROWS, USERS); j++) {
      const id = randomUUID()
      const email = `bench-${j}@example.com`
      users.push({ id, email })
      rows.push(`('${id}','Bench','User${j}','${email}','${passwordHash}',0,'${now}','${now}')`)
    }
    statements.push(
      `INSERT INTO users (id, first_name, last_name, email, password_hash, token_version, created_at, updated_at) VALUES ${rows.join(',')};`,
    )
  }
  const file = path.join(tmp, 'seed.sql')
  writeFileSync(file, statements.join('\n'))
  const t = performance.now()
  run(['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', file], 'seeding')
  return { users, seconds: (performance.now() - t) / 1000 }
}

function startWorker(state, port = PORT, vars = {}) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state, '--var', `JWT_SECRET:${SECRET}`]
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  args.push('--show-interactive-dev-session=false', '--log-level', 'error', '--inspector-port', String(port + 1))
  // Its own process group: stopping it stops the workerd it spawned too, and nothing else.
  const child = spawn(wrangler, args, { cwd: root, env: wranglerEnv(), detached: true, stdio: ['ignore', 'ignore', 'inherit'] })
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  }
  return { child, stop }
}

/** A webhook receiver that answers 204 at once and counts the events it got. */
async function startReceiver() {
  const receiver = { events: 0 }
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      receiver.events++
      res.writeHead(204).end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${server.address().port}/webhooks/users`
  receiver.close = () => {
    server.close()
    server.closeAllConnections()
  }
  return receiver
}

async function waitForHealth(child, base = BASE) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${base}/health`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('wrangler dev did not answer /health within 60 s')
}

/** Tokens exactly like src/auth/tokens.ts issues them, signed with the secret the Worker runs with. */
async function mint(users, count) {
  const iat = Math.floor(Date.now() / 1000)
  const tokens = []
  for (let i = 0; i < count; i++) {
    const u = users[i % users.length]
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: u.id, iat, exp: iat + TTL, jti: randomUUID(), ver: 0 }
    tokens.push(await sign(claims, SECRET, 'HS256'))
  }
  return tokens
}

// Login and register come from many synthetic clients: wrangler dev keeps a client-sent
// CF-Connecting-IP (Cloudflare overwrites it in production), so the per-IP limiter still runs on
// every request without capping a one-machine load test at 100 requests a minute.
const clientIp = (n) => `198.18.${(n >> 8) & 255}.${n & 255}`

function scenarios(users, tokens, logoutTokens) {
  let n = 0
  const next = (list) => list[n++ % list.length]
  const json = { 'content-type': 'application/json' }
  const runId = randomBytes(4).toString('hex')
  return [
    // A path outside run_worker_first: the asset layer looks for a file first, then the Worker answers.
    { name: '404 (framework floor)', expect: 404, method: 'GET', path: '/bench-not-found' },
    // The same 404 on an API path (run_worker_first): straight to the Worker, no asset lookup.
    { name: '404 under /users (run_worker_first)', expect: 404, method: 'GET', path: '/users/bench-not-found' },
    { name: 'GET /health (1 D1 query + 1 KV read)', expect: 200, method: 'GET', path: '/health' },
    // The same floor at login's concurrency, for the login ratio.
    { name: 'GET /health, login concurrency', expect: 200, method: 'GET', path: '/health', cpuBound: true },
    {
      name: 'GET /users/profile (Bearer)',
      expect: 200,
      method: 'GET',
      path: '/users/profile',
      setup: (req) => ({ ...req, headers: { authorization: `Bearer ${next(tokens)}` } }),
    },
    {
      name: 'GET /users/profile (cookie)',
      expect: 200,
      method: 'GET',
      path: '/users/profile',
      setup: (req) => ({ ...req, headers: { cookie: `__Host-token=${next(tokens)}` } }),
    },
    {
      name: 'POST /users/login',
      expect: 200,
      cpuBound: true,
      method: 'POST',
      path: '/users/login',
      setup: (req) => {
        const i = n++
        const body = JSON.stringify({ email: users[(i * 7919) % users.length].email, password: PASSWORD })
        return { ...req, headers: { ...json, 'cf-connecting-ip': clientIp(i) }, body }
      },
    },
    {
      name: 'POST /users/register',
      expect: 201,
      cpuBound: true,
      method: 'POST',
      path: '/users/register',
      setup: (req) => {
        const i = n++
        const body = JSON.stringify({ fullName: 'Bench Register', email: `reg-${runId}-${i}@example.com`, password: PASSWORD })
        return { ...req, headers: { ...json, 'cf-connecting-ip': clientIp(i) }, body }
      },
    },
    {
      name: 'POST /users/logout',
      expect: 200,
      method: 'POST',
      path: '/users/logout',
      setup: (req) => {
        const token = logoutTokens.pop()
        if (!token) throw new Error('the bench ran out of fresh tokens for logout: raise LOGOUT_TOKENS_PER_SECOND')
        return { ...req, headers: { authorization: `Bearer ${token}` } }
      },
    },
  ]
}

function measure(s, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: BASE,
        connections: s.cpuBound ? CPU_CONNECTIONS : CONNECTIONS,
        duration,
        requests: [{ method: s.method, path: s.path, ...(s.setup ? { setupRequest: s.setup } : {}) }],
      },
      (err, r) => {
        if (err) return reject(err)
        const total = Object.values(r.statusCodeStats ?? {}).reduce((a, c) => a + c.count, 0)
        const expected = r.statusCodeStats?.[s.expect]?.count ?? 0
        resolve({
          name: s.name,
          connections: s.cpuBound ? CPU_CONNECTIONS : CONNECTIONS,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: total,
          non2xx: r.non2xx,
          unexpected: total - expected,
          errors: r.errors + r.timeouts,
          statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
        })
      },
    )
  })
}

/**
 * Register without and with WEBHOOK_URL (user.created queued before the answer), one request at a
 * time, alternating and swapping the order each pair, so that the load of this shared machine hits
 * both alike: the median of each and the median of the pairs' differences.
 */
async function registerPairs(pairs) {
  const register = async (base, i) => {
    const body = JSON.stringify({ fullName: 'Bench Pair', email: `pair-${randomUUID()}@example.com`, password: PASSWORD })
    const t = performance.now()
    const res = await fetch(`${base}/users/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': clientIp(60000 + i) },
      body,
    })
    await res.arrayBuffer()
    if (res.status !== 201) throw new Error(`register on ${base} answered ${res.status}`)
    return performance.now() - t
  }
  const without = []
  const withHook = []
  for (let i = 0; i < pairs + 5; i++) {
    const order = i % 2 ? [[BASE, without], [WEBHOOK_BASE, withHook]] : [[WEBHOOK_BASE, withHook], [BASE, without]]
    for (const [base, list] of order) {
      const ms = await register(base, i)
      if (i >= 5) list.push(ms) // the first five pairs warm both up
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  return {
    pairs,
    withoutP50: median(without),
    withP50: median(withHook),
    medianDifferenceMs: median(withHook.map((ms, i) => ms - without[i])),
    registered: pairs + 5,
  }
}

/** One row from the rounds of a scenario: counts add up, rates average, latencies take the median. */
function merge(rounds) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const sum = (key) => rounds.reduce((a, r) => a + r[key], 0)
  const statusCodes = {}
  for (const r of rounds) for (const [k, v] of Object.entries(r.statusCodes)) statusCodes[k] = (statusCodes[k] ?? 0) + v
  return {
    ...rounds[0],
    rps: sum('rps') / rounds.length,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    requests: sum('requests'),
    non2xx: sum('non2xx'),
    unexpected: sum('unexpected'),
    errors: sum('errors'),
    statusCodes,
    // Kept so the report can show how much a ratio moves between rounds of the same run.
    roundRps: rounds.map((r) => r.rps),
  }
}

function bcryptCompare() {
  // Same library as the Worker (pure JS on V8), measured here in Node in the same run.
  const samples = []
  return (async () => {
    await compare(PASSWORD, hashOnce) // warm-up
    for (let i = 0; i < 15; i++) {
      const t = performance.now()
      await compare(PASSWORD, hashOnce)
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    return samples[Math.floor(samples.length / 2)]
  })()
}

/** The Worker with WEBHOOK_URL at a local receiver (fresh state of its own: register needs no seed). */
async function startWebhookWorker() {
  receiver = await startReceiver()
  const webhookState = path.join(tmp, 'webhook-state')
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', webhookState], 'migrations (WEBHOOK_URL worker)')
  const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`
  webhookWorker = startWorker(webhookState, PORT + 2, { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET })
  await waitForHealth(webhookWorker.child, WEBHOOK_BASE)
}

/** registerPairs, then every event delivered: the receiver's count must reach the registers'. */
async function measureWebhook() {
  log(`register without and with WEBHOOK_URL: ${PAIRS} alternating pairs`)
  const webhook = { date: new Date().toISOString(), ...(await registerPairs(PAIRS)) }
  for (const deadline = Date.now() + 30_000; receiver.events < webhook.registered && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 250))
  webhook.delivered = receiver.events
  if (webhook.delivered !== webhook.registered) {
    failed = true
    log(`FAILED: ${webhook.registered} registers with WEBHOOK_URL, ${webhook.delivered} events delivered`)
  }
  return webhook
}

function writeResults(result) {
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true })
  writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`)
  const markdown = renderResults(path.join(root, 'bench', 'results'))
  writeFileSync(path.join(root, 'bench', 'RESULTS.md'), markdown)
  console.log(markdown)
}

const resultsFile = path.join(root, 'bench', 'results', `users-${USERS}.json`)
const tmp = path.join(root, '.wrangler', `bench-${process.pid}`)
const state = path.join(tmp, 'state')
mkdirSync(state, { recursive: true })
const hashOnce = await hash(PASSWORD, COST)
let worker
let webhookWorker
let receiver
let failed = false

/** --webhook-only: the register comparison alone, added to the last whole run's results. */
async function webhookOnlyRun() {
  const result = JSON.parse(readFileSync(resultsFile, 'utf8'))
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], 'migrations')
  worker = startWorker(state)
  await waitForHealth(worker.child)
  await startWebhookWorker()
  result.webhook = await measureWebhook()
  writeResults(result)
}

async function wholeRun() {
  log(`bundle and startup`)
  const bundle = measureBundle(tmp)
  log(`migrations and seeding ${USERS} users`)
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], 'migrations')
  const { users, seconds: seedSeconds } = seed(state, tmp)
  log(`seeded in ${seedSeconds.toFixed(1)} s; starting wrangler dev on ${BASE}`)
  worker = startWorker(state)
  await waitForHealth(worker.child)
  await startWebhookWorker()
  const tokens = await mint(users, Math.min(users.length, 2000))
  const LOGOUT_TOKENS_PER_SECOND = 4000
  const logoutTokens = await mint(users, LOGOUT_TOKENS_PER_SECOND * DURATION)
  const bcryptMs = await bcryptCompare()
  const list = scenarios(users, tokens, logoutTokens)
  const perRound = list.map(() => [])
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${list.length} scenarios, ${DURATION / ROUNDS} s each`)
    for (const [i, s] of list.entries()) perRound[i].push(await measure(s, DURATION / ROUNDS))
  }
  const rows = list.map((s, i) => merge(perRound[i]))
  const webhook = await measureWebhook()
  for (const [i, row] of rows.entries()) {
    if (row.unexpected > 0 || row.errors > 0) {
      failed = true
      log(`FAILED ${row.name}: expected ${list[i].expect}, got ${JSON.stringify(row.statusCodes)}, ${row.errors} errors`)
    }
  }
  writeResults({
    date: new Date().toISOString(),
    users: USERS,
    durationSeconds: DURATION,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    cpuConnections: CPU_CONNECTIONS,
    bcryptCost: COST,
    bcryptCompareMs: bcryptMs,
    seedSeconds,
    webhook,
    bundle,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      wrangler: JSON.parse(readFileSync(path.join(root, 'node_modules/wrangler/package.json'), 'utf8')).version,
    },
    rows,
    ok: !failed,
  })
}

try {
  await (opts['webhook-only'] ? webhookOnlyRun() : wholeRun())
} catch (e) {
  failed = true
  console.error(e)
} finally {
  worker?.stop()
  webhookWorker?.stop()
  receiver?.close()
  await new Promise((r) => setTimeout(r, 500))
  rmSync(tmp, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
