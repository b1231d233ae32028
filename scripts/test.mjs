// `npm test`: typecheck and bundle build (silent unless they fail) while the node tests of the
// scripts and vitest inside workerd run; then one line for CI: `N passed, N failed` (both runs added
// up, plus one failure for each of typecheck and build that failed). Run one after the other, the
// type check (tsc, single-threaded) left the second core idle for half a minute.
import { quietStep, runNodeTests, runVitest } from './lib/run-tests.mjs'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const checks = [quietStep('typecheck', npm, ['run', '--silent', 'typecheck']), quietStep('build', npm, ['run', '--silent', 'build'])]
let passed = 0
let failed = 0
for (const result of [await runNodeTests(), await runVitest(process.argv.slice(2))]) {
  passed += result.passed
  failed += result.failed
}
for (const ok of await Promise.all(checks)) if (!ok) failed++
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
