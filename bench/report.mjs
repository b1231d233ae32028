// Renders bench/RESULTS.md from the latest run at each user count (bench/results/users-<N>.json).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const f1 = (n) => n.toFixed(1)
const f2 = (n) => n.toFixed(2)
const verdict = (ok) => (ok ? 'met' : '**not met**')
const find = (r, prefix) => r.rows.find((row) => row.name.startsWith(prefix))

function table(r) {
  const lines = [
    '| scenario | conns | req/s | p50 ms | p99 ms | requests | non-2xx | unexpected status | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of r.rows) {
    lines.push(
      `| ${row.name} | ${row.connections} | ${f1(row.rps)} | ${row.p50} | ${row.p99} | ${row.requests} | ${row.non2xx} | ${row.unexpected} | ${row.errors} |`,
    )
  }
  return lines.join('\n')
}

/** The range of a ratio over the rounds of one run (the rounds are interleaved, so they pair up). */
function roundRange(a, b, key) {
  if (!a[key] || !b[key]) return ''
  const each = a[key].map((x, i) => x / b[key][i]).sort((x, y) => x - y)
  return ` (rounds: ${f2(each[0])}–${f2(each.at(-1))})`
}

export function ratios(r) {
  const health = find(r, 'GET /health (')
  const bearer = find(r, 'GET /users/profile (Bearer)')
  const cookie = find(r, 'GET /users/profile (cookie)')
  const login = find(r, 'POST /users/login')
  const loginFloor = r.bcryptCompareMs + find(r, 'GET /health, login concurrency').p50
  return {
    profileBearer: bearer.rps / health.rps,
    profileCookie: cookie.rps / health.rps,
    login: login.p50 / loginFloor,
    loginFloor,
    spread: {
      profileBearer: roundRange(bearer, health, 'roundRps'),
      profileCookie: roundRange(cookie, health, 'roundRps'),
    },
  }
}

/** The same 404 on an API path (run_worker_first: no asset lookup) against a path outside it. */
function rwfRow(r) {
  const api = find(r, '404 under /users')
  const other = find(r, '404 (framework floor)')
  if (!api || !other) return ''
  return `| run_worker_first: 404 req/s on an API path / outside the API paths (asset lookup first) | ${f2(api.rps / other.rps)}${roundRange(api, other, 'roundRps')} | > 1: ${verdict(api.rps > other.rps)} |\n`
}

/** Register with its user event queued (WEBHOOK_URL set, a second Worker) against register without, in alternating pairs. */
function webhookRow(r) {
  const w = r.webhook
  if (!w) return ''
  const when = w.date && w.date.slice(0, 16) !== r.date.slice(0, 16) ? `, ${w.date.slice(0, 16).replace('T', ' ')} UTC` : ''
  return `| register with WEBHOOK_URL set (user.created queued) / without: p50 of ${w.pairs} alternating pairs${when} | ${f2(w.withP50 / w.withoutP50)} (${f1(w.withP50)} ms / ${f1(w.withoutP50)} ms; median pair difference ${f1(w.medianDifferenceMs)} ms; events delivered: ${w.delivered} of ${w.registered}) | – |\n`
}

function section(r) {
  const q = ratios(r)
  const b = r.bundle
  return `## ${r.users.toLocaleString('en-US')} users

${r.date} · ${r.machine.cpus} × ${r.machine.cpuModel} · Node ${r.machine.node} · wrangler ${r.machine.wrangler} ·
${r.durationSeconds} s per scenario in ${r.rounds ?? 1} interleaved rounds (p50/p99: median of the rounds), ${r.connections} connections (${r.cpuConnections} for the bcrypt-bound login and register) · bcrypt cost ${r.bcryptCost} · seeded in ${f1(r.seedSeconds)} s

${table(r)}

| measure | value | target |
| --- | ---: | --- |
| bcrypt-ts compare at cost ${r.bcryptCost} (median of 15, Node, same run) | ${f1(r.bcryptCompareMs)} ms | – |
| profile / health throughput (Bearer) | ${f2(q.profileBearer)}${q.spread.profileBearer} | ≥ 0.9: ${verdict(q.profileBearer >= 0.9)} |
| profile / health throughput (cookie) | ${f2(q.profileCookie)}${q.spread.profileCookie} | ≥ 0.9: ${verdict(q.profileCookie >= 0.9)} |
| login p50 / (bcrypt compare + health p50 at login's concurrency = ${f1(q.loginFloor)} ms) | ${f2(q.login)} | ≤ 1.1: ${verdict(q.login <= 1.1)} |
${rwfRow(r)}${webhookRow(r)}| upload (wrangler: Worker + password list) | ${f1(b.uploadKiB)} KiB raw / ${f1(b.uploadGzipKiB)} KiB gzip | ≤ 150 KiB gzip: ${verdict(b.uploadGzipKiB <= 150)} |
| Worker JavaScript alone | ${f1(b.workerJsKiB)} KiB raw / ${f1(b.workerJsGzipKiB)} KiB gzip | ≤ 150 KiB gzip: ${verdict(b.workerJsGzipKiB <= 150)} |
| startup CPU (\`wrangler check startup\`, sampled) | ${f1(b.startupMs)} ms | – |
`
}

function scale(results) {
  const base = results.find((r) => r.users === 1000)
  const others = results.filter((r) => r.users !== 1000)
  if (!base || others.length === 0) return ''
  const lines = ['## Scale', '', '| users | profile p50 (Bearer) | login p50 | vs 1,000 users | within 1.1× |', '| ---: | ---: | ---: | --- | --- |']
  const p = (r) => find(r, 'GET /users/profile (Bearer)').p50
  const l = (r) => find(r, 'POST /users/login').p50
  lines.push(`| 1,000 | ${p(base)} ms | ${l(base)} ms | – | – |`)
  for (const r of others) {
    const pr = p(r) / p(base)
    const lr = l(r) / l(base)
    lines.push(
      `| ${r.users.toLocaleString('en-US')} | ${p(r)} ms | ${l(r)} ms | profile ${f2(pr)}×, login ${f2(lr)}× | ${verdict(pr <= 1.1 && lr <= 1.1)} |`,
    )
  }
  return `${lines.join('\n')}\n\nThe email and id lookups use the UNIQUE email index and the primary key (asserted with \`EXPLAIN QUERY PLAN\` in test/db/queries.test.ts), so their cost grows with log(users).\n`
}

export function renderResults(dir) {
  const results = readdirSync(dir)
    .filter((f) => /^users-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
    .sort((a, b) => a.users - b.users)
  return `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs): \`wrangler dev\` on fresh local state, autocannon on the
same machine. Local D1 is SQLite inside the workerd process and local KV is on disk: these are the
floors of this code on this machine, not production latencies (see docs/performance.md).

${results.map(section).join('\n')}
${scale(results)}`
}
