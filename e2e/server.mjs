// Starts `wrangler dev` on a free port with fresh local state (its own --persist-to directory,
// migrations applied, a throwaway JWT secret and any other variables passed with --var so .dev.vars
// is never touched).
// Everything it prints goes to a file in that directory, which the test files read.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { root, wranglerBin, wranglerEnv } from '../scripts/lib/wrangler-run.mjs'

const isFree = (port) =>
  new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/** The first free ports from E2E_PORT (default 8800) upwards: ten ports are tried. */
async function freePorts(count) {
  const first = Number(process.env.E2E_PORT ?? 8800)
  const found = []
  for (let port = first; port < first + 10 && found.length < count; port++) if (await isFree(port)) found.push(port)
  if (found.length < count) throw new Error(`no ${count} free ports in ${first}-${first + 9} (set E2E_PORT)`)
  return found
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`wrangler dev did not answer ${url}/health within ${timeoutMs / 1000} s`)
}

/** Where the dev server of a run writes its temporary files: the simulated emails' text and HTML. */
export const emailTmpdir = (state) => path.join(state, 'tmp')

/**
 * `wrangler dev` with fresh state: { baseUrl, state, output (the file of everything it prints), vars, stop }.
 * `vars` are added to (or replace) wrangler.toml's [vars] and the random JWT_SECRET, for this server only.
 */
export async function startWorker({ vars: extra = {} } = {}) {
  const [port, inspectorPort] = await freePorts(2)
  const state = path.join(root, '.wrangler', `e2e-state-${process.pid}-${Date.now()}`)
  mkdirSync(state, { recursive: true })
  // The simulated emails' text files go here, not into the machine's shared /tmp: they go away with
  // the run's state (the docs' account examples find them through the paths the server prints).
  mkdirSync(emailTmpdir(state), { recursive: true })
  const env = wranglerEnv({ TMPDIR: emailTmpdir(state) })
  const migrate = spawnSync(wranglerBin(), ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
    cwd: root,
    env,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`)

  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)]
  const vars = { JWT_SECRET: randomBytes(32).toString('base64url'), ...extra }
  args.push('--persist-to', state)
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  // Not the developer's .dev.vars: with an env file given, wrangler skips it (this one is empty).
  args.push('--env-file', '/dev/null')
  // info: the simulated send_email binding prints each message there (e2e/mail.mjs reads the links).
  args.push('--show-interactive-dev-session=false', '--log-level', 'info')
  // Its own process group, so stopping it also stops the workerd it spawned (and nothing else).
  const child = spawn(wranglerBin(), args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = path.join(state, 'wrangler-dev.log')
  const record = (d) => appendFileSync(output, d)
  child.stdout.on('data', record)
  child.stderr.on('data', record)

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {}
      }
    }
    rmSync(state, { recursive: true, force: true })
  }

  // Chromium treats http://localhost as a secure context, so the API's Secure cookie is kept.
  const baseUrl = `http://localhost:${port}`
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child, 60_000)
  } catch (e) {
    await stop()
    throw e
  }
  return { baseUrl, state, output, vars, stop }
}
