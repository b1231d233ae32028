// The pieces of `npm test`: quiet steps, the node tests of the scripts, and vitest inside workerd
// (and node:test files in general: the browser tests run through runTestFiles too).
// Each run returns { passed, failed } for the one summary line CI reads: `N passed, N failed`.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'
import { root, wranglerEnv } from './wrangler-run.mjs'

const bin = (name) => path.join(root, 'node_modules', '.bin', name)

/**
 * Runs a command with its output captured, printed only when it fails; resolves to whether it
 * passed. It runs alongside whatever the caller does meanwhile (the tests, while it type-checks).
 */
export function quietStep(label, command, args) {
  const child = spawn(command, args, { cwd: root, env: wranglerEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  return new Promise((resolve) => {
    child.once('error', (e) => (output += String(e)))
    child.once('close', (status) => {
      if (status !== 0) process.stdout.write(`${label} failed (${[command, ...args].join(' ')}):\n${output}\n`)
      resolve(status === 0)
    })
  })
}

/** The node:test files that check the scripts (deploy, dev, the docs): test/scripts/*.test.mjs. */
export function runNodeTests(options = {}) {
  const dir = path.join(root, 'test', 'scripts')
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => path.join(dir, f))
  return runTestFiles(files, options)
}

/**
 * node:test files (each in its own process), reported by the spec reporter; `concurrency: false` runs
 * one at a time. `buffered`: the report is kept and returned as `report` instead of printed as it
 * comes (for a run alongside another one that prints).
 */
export async function runTestFiles(files, { concurrency = true, buffered = false } = {}) {
  let passed = 0
  let failed = 0
  const stream = run({ files, concurrency })
  stream.on('test:pass', (t) => {
    if (t.details?.type !== 'suite') passed++
  })
  stream.on('test:fail', (t) => {
    if (t.details?.type !== 'suite') failed++
  })
  const report = stream.compose(spec)
  const kept = []
  if (buffered) report.on('data', (chunk) => kept.push(chunk))
  else report.pipe(process.stdout)
  // The report's end, not the run's: the summary lines that follow come after the whole report.
  await new Promise((resolve) => report.once('end', resolve))
  if (passed + failed === 0) failed++ // a run that executes nothing is a failure
  return { passed, failed, report: kept.join('') }
}

/** vitest (args pass through), its report on the terminal, its counts from a silent reporter. */
export async function runVitest(args = []) {
  const counts = path.join(root, 'test-results', 'vitest-counts.json')
  mkdirSync(path.dirname(counts), { recursive: true })
  rmSync(counts, { force: true })
  const reporter = path.join(root, 'scripts', 'lib', 'vitest-counts-reporter.mjs')
  const child = spawn(bin('vitest'), ['run', '--reporter=default', `--reporter=${reporter}`, ...args], {
    cwd: root,
    env: wranglerEnv({ VITEST_COUNTS_FILE: counts }),
    stdio: 'inherit',
  })
  const status = await new Promise((resolve) => child.once('close', resolve))
  try {
    const { passed, failed, total } = JSON.parse(readFileSync(counts, 'utf8'))
    let f = failed
    if (status !== 0 && f === 0) f = 1 // vitest failed without a failing test (config, unhandled error)
    if (total === 0) f += 1 // a run that executes nothing is a failure
    return { passed, failed: f }
  } catch {
    return { passed: 0, failed: 1 } // no counts: vitest itself failed
  }
}
