// `npm test`: typecheck and bundle build (silent unless they fail), the node tests of the scripts
// and vitest inside workerd, all at once; then one line for CI: `N passed, N failed` (both runs added
// up, plus one failure for each of typecheck and build that failed). Run one after the other, they
// left the second core idle most of the time (the node tests mostly wait for the wrangler processes
// they start). The node tests' report is printed after vitest's, whole.
import { quietStep, runNodeTests, runVitest } from './lib/run-tests.mjs'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const checks = [quietStep('typecheck', npm, ['run', '--silent', 'typecheck']), quietStep('build', npm, ['run', '--silent', 'build'])]
let passed = 0
let failed = 0
const nodeTests = runNodeTests({ buffered: true })
const vitest = await runVitest(process.argv.slice(2))
const scripts = await nodeTests
process.stdout.write(scripts.report)
for (const result of [scripts, vitest]) {
  passed += result.passed
  failed += result.failed
}
for (const ok of await Promise.all(checks)) if (!ok) failed++
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
