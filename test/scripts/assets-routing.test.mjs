// [assets] run_worker_first, checked through the runtime's real front door: the asset router, then
// the Worker (vitest-pool-workers' SELF skips the router, so this runs the built bundle in Miniflare,
// as `wrangler dev` does, without opening a port). test/fixtures/assets/ holds a decoy file on each
// API path: the Worker answers those paths only because run_worker_first lists them.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Miniflare } from 'miniflare'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'
import { readConfig } from '../../scripts/lib/wrangler-config.mjs'
import { wranglerBin, wranglerEnv } from '../../scripts/lib/wrangler-run.mjs'

const root = path.resolve(import.meta.dirname, '..', '..')

let dir
const servers = {}
// What the Workers wrote to stderr: kept for the tests to assert on, not printed into the report.
let workerStderr = ''

/** A Miniflare running the bundle with the top-level config, the decoy assets, and `runWorkerFirst`. */
function start(runWorkerFirst) {
  const { env: _envs, alias: _alias, ...config } = readConfig(path.join(root, 'wrangler.toml'))
  config.main = path.join(dir, 'index.js')
  config.assets = { ...config.assets, directory: path.join(root, 'test/fixtures/assets') }
  if (!runWorkerFirst) delete config.assets.run_worker_first
  // Its own folder: wrangler would load a .dev.vars found beside the config.
  const configDir = mkdtempSync(path.join(dir, 'config-'))
  const configPath = path.join(configDir, 'wrangler.json')
  writeFileSync(configPath, JSON.stringify(config))
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath)
  // The entry module first, then the text modules it imports (the password list).
  const texts = readdirSync(dir).filter((f) => f.endsWith('.txt'))
  const modules = [{ type: 'ESModule', path: config.main }, ...texts.map((f) => ({ type: 'Text', path: path.join(dir, f) }))]
  return new Miniflare({
    ...workerOptions,
    modulesRoot: dir,
    modules,
    bindings: { ...workerOptions.bindings, JWT_SECRET: 'assets-routing-test-secret-at-least-32-bytes' },
    // The Worker's request log lines would land in the test report: its stdout is dropped.
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.resume()
      stderr.on('data', (d) => (workerStderr += d))
    },
  })
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'assets-routing-'))
  const build = spawnSync(
    wranglerBin(),
    ['deploy', '--dry-run', '--outdir', dir, '--config', path.join(root, 'wrangler.toml')],
    { cwd: root, env: wranglerEnv(), encoding: 'utf8' },
  )
  assert.equal(build.status, 0, build.stderr)
  servers.withFirst = start(true)
  servers.without = start(false)
})

after(async () => {
  await Promise.all(Object.values(servers).map((mf) => mf.dispose()))
  rmSync(dir, { recursive: true, force: true })
})

/** Waits up to 5 s for the Workers' stderr to match `pattern`; fails the test if it never does. */
async function logged(pattern) {
  for (const deadline = Date.now() + 5000; !pattern.test(workerStderr); ) {
    assert.ok(Date.now() < deadline, `the Worker logged ${pattern}; its stderr:\n${workerStderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const get = async (mf, p) => {
  const res = await mf.dispatchFetch(`http://localhost${p}`)
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.text() }
}

describe('[assets] run_worker_first', () => {
  for (const p of ['/users/profile', '/api/users/profile', '/health', '/openapi.json', '/.well-known/jwks.json', '/compat/demo/x']) {
    it(`GET ${p} reaches the Worker, not the file at that path`, async () => {
      const res = await get(servers.withFirst, p)
      assert.ok(res.requestId, 'answered by the Worker (X-Request-Id)')
      assert.doesNotMatch(res.body, /decoy/)
      // This D1 has no tables: /health logs why it is unhealthy (the line may follow the response).
      if (p === '/health') await logged(/Health check: D1 failed .*no such table: users/)
    })
  }

  it('without run_worker_first the same API path is answered by the file (the control case)', async () => {
    const res = await get(servers.without, '/users/profile')
    assert.equal(res.status, 200)
    assert.match(res.body, /decoy/)
    assert.equal(res.requestId, null)
  })

  it('a path outside the patterns is still served from the assets, without the Worker', async () => {
    const res = await get(servers.withFirst, '/plain.txt')
    assert.equal(res.status, 200)
    assert.equal(res.body, 'a static file\n')
    assert.equal(res.requestId, null)
  })
})
