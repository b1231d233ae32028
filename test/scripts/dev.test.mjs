// `npm run dev` (scripts/dev.mjs): never stops at wrangler's "apply migrations? (Y/n)" prompt nor
// shows it, and a second one on a busy port says so and exits. wrangler is a recorder here: no server is started.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'

const root = path.resolve(import.meta.dirname, '..', '..')
const tmp = mkdtempSync(path.join(tmpdir(), 'dev-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

/**
 * A stand-in for wrangler: records its arguments and whether its stdin is a terminal, prints
 * `migrationReport` for `d1 migrations apply`, then exits 0.
 */
function recorder({ migrationReport = '' } = {}) {
  const dir = mkdtempSync(path.join(tmp, 'recorder-'))
  const bin = path.join(dir, 'wrangler')
  const log = path.join(dir, 'calls.jsonl')
  writeFileSync(
    bin,
    `#!/usr/bin/env node
require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), stdinIsTTY: !!process.stdin.isTTY }) + '\\n')
if (process.argv[2] === 'd1') process.stdout.write(${JSON.stringify(migrationReport)})
`,
  )
  chmodSync(bin, 0o755)
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [])
  return { bin, calls }
}

/** Listens on a port the OS picks, on 127.0.0.1: the "first npm run dev". */
async function occupied() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) }
}

const dev = (args, wrangler) =>
  spawnSync(process.execPath, [path.join(root, 'scripts/dev.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, WRANGLER: wrangler },
    encoding: 'utf8',
    timeout: 20_000,
  })

describe('npm run dev', () => {
  for (const form of ['--port N', '--port=N', '--port N --ip 127.0.0.1']) {
    it(`on a busy port (${form}) says so and exits 1, without starting anything`, async () => {
      const first = await occupied()
      const rec = recorder()
      try {
        const args = form.replace('N', String(first.port)).split(' ')
        const res = dev(args, rec.bin)
        assert.equal(res.status, 1, res.stdout + res.stderr)
        assert.match(res.stderr, new RegExp(`Port ${first.port} on .* is already in use: is another \`npm run dev\` running\\?`))
        assert.match(res.stderr, new RegExp(`npm run dev -- --port ${first.port + 1}`))
        assert.deepEqual(rec.calls(), [])
      } finally {
        await first.close()
      }
    })
  }

  it('shows what wrangler reports about the migrations, without the question it answers itself', async () => {
    const { port, close } = await occupied()
    await close() // a free port
    const hadDevVars = existsSync(path.join(root, '.dev.vars'))
    // wrangler's words when its input is not a terminal
    const question = [
      '? About to apply 2 migration(s)',
      'Your database may not be available to serve requests during the migration, continue?',
      '🤖 Using fallback value in non-interactive context: yes',
    ]
    const migrationReport = ['Migrations to be applied:', '│ 0000_create_users.sql │', ...question, '🚣 3 commands executed successfully.', ''].join('\n')
    try {
      const res = dev(['--port', String(port), '--persist-to', '.wrangler/dev-test'], recorder({ migrationReport }).bin)
      assert.equal(res.status, 0, res.stdout + res.stderr)
      assert.match(res.stdout, /Migrations to be applied:\n│ 0000_create_users.sql │\n🚣 3 commands executed successfully\.\n/)
      for (const line of question) assert.ok(!res.stdout.includes(line), `not shown: ${line}`)
    } finally {
      if (!hadDevVars) rmSync(path.join(root, '.dev.vars'), { force: true })
    }
  })

  it('in a terminal, applies the migrations without a prompt (stdin is not a TTY), then starts wrangler dev on it', async (t) => {
    const script = spawnSync('script', ['--version'])
    if (script.status !== 0) return t.skip('util-linux `script` (a pseudo-terminal) is not installed')
    const { port, close } = await occupied()
    await close() // a free port
    const hadDevVars = existsSync(path.join(root, '.dev.vars'))
    const rec = recorder()
    try {
      const command = `${JSON.stringify(process.execPath)} scripts/dev.mjs --port ${port} --persist-to .wrangler/dev-test`
      const res = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: root,
        env: { ...process.env, WRANGLER: rec.bin },
        encoding: 'utf8',
        timeout: 20_000,
      })
      assert.equal(res.status, 0, res.stdout + res.stderr)
      const [migrate, start] = rec.calls()
      assert.deepEqual(migrate.args.slice(0, 5), ['d1', 'migrations', 'apply', 'DB', '--local'])
      assert.ok(migrate.args.includes('--persist-to'), 'the migrations go to the same local state as the server')
      assert.equal(migrate.stdinIsTTY, false, 'wrangler only asks "(Y/n)" when its stdin is a terminal')
      assert.deepEqual(start.args, ['dev', '--port', String(port), '--persist-to', '.wrangler/dev-test'])
      assert.equal(start.stdinIsTTY, true, 'wrangler dev keeps the terminal (its b/d/x shortcuts)')
    } finally {
      if (!hadDevVars) rmSync(path.join(root, '.dev.vars'), { force: true })
    }
  })
})
