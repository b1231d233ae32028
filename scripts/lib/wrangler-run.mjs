// How every script, test runner and benchmark starts wrangler (or vitest and Miniflare, which run
// its code): the project's binary, in the one quiet environment defined here.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'

export const root = path.resolve(import.meta.dirname, '..', '..')

/** The wrangler binary: the project's own unless $WRANGLER names another (a global install, a test). */
export const wranglerBin = () => process.env.WRANGLER || path.join(root, 'node_modules', '.bin', 'wrangler')

/**
 * The environment of every wrangler child: no usage metrics, no banner, no download of the request.cf
 * data, and no colour codes when our output is not a terminal (a pipe, a CI log). `extra` is added last.
 */
export function wranglerEnv(extra = {}) {
  const noColour = process.stdout.isTTY ? {} : { FORCE_COLOR: '0', NO_COLOR: '1' }
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    ...noColour,
    ...extra,
  }
}

/** Runs wrangler with the terminal attached; resolves with its exit code. */
export function runWrangler(args) {
  return new Promise((resolve) => {
    const child = spawn(wranglerBin(), args, { cwd: root, stdio: 'inherit', env: wranglerEnv() })
    child.once('error', (e) => {
      console.error(`could not run wrangler (${wranglerBin()}): ${e.message}`)
      resolve(1)
    })
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/** Runs wrangler with its output captured and returns its stdout; when it fails, prints everything and exits 1. */
export function wranglerOutput(args) {
  const res = spawnSync(wranglerBin(), args, { cwd: root, encoding: 'utf8', env: wranglerEnv() })
  if (res.status !== 0) {
    console.error(`wrangler ${args.join(' ')} failed:\n${res.stdout ?? ''}${res.stderr ?? res.error?.message ?? ''}`)
    process.exit(1)
  }
  return res.stdout
}

/** Runs wrangler with its output captured: whether it succeeded (a look-up that may find nothing). */
export const wranglerSucceeds = (args) => spawnSync(wranglerBin(), args, { cwd: root, encoding: 'utf8', env: wranglerEnv() }).status === 0

/** The JSON array in the output of a `--json` command (wrangler may print lines before it). */
export const jsonArrayIn = (output) => JSON.parse(output.slice(output.indexOf('[')))
