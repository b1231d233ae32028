// `npm test`: typecheck and bundle build (silent unless they fail), the node tests of the scripts,
// vitest inside workerd; then one line for CI: `N passed, N failed` (both runs added up).
import { quietStep, runNodeTests, runVitest } from './lib/run-tests.mjs'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
let passed = 0
let failed = 0
if (!quietStep('typecheck', npm, ['run', '--silent', 'typecheck'])) failed++
else if (!quietStep('build', npm, ['run', '--silent', 'build'])) failed++
else {
  for (const result of [await runNodeTests(), await runVitest(process.argv.slice(2))]) {
    passed += result.passed
    failed += result.failed
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
