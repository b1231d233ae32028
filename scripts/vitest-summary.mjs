// Runs vitest (args pass through) and ends with the plain line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'

const out = 'test-results/vitest.json'
mkdirSync('test-results', { recursive: true })
rmSync(out, { force: true })
const run = spawnSync(
  'vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: 'inherit', shell: false, env: process.env },
)
let passed = 0
let failed = 0
try {
  const report = JSON.parse(readFileSync(out, 'utf8'))
  passed = report.numPassedTests
  failed = report.numFailedTests
  // A file that fails to load fails no test, yet the run failed: count it.
  if (run.status !== 0 && failed === 0) failed = Math.max(1, report.numFailedTestSuites ?? 0)
  if (report.numTotalTests === 0) failed += 1 // a run that executes nothing is a failure
} catch {
  failed += 1 // no report: vitest itself failed
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(run.status === 0 && failed === 0 ? 0 : 1)
