// `npm run test:services`: the ready-made verifiers of examples/services/ (their own package, not
// part of the Worker) against `wrangler dev`, one test file at a time (each starts its own server
// with the variables it needs). Ends with the plain line `N passed, N failed`.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { runTestFiles } from './lib/run-tests.mjs'
import { root } from './lib/wrangler-run.mjs'

const dir = path.join(root, 'examples', 'services')
let result
if (!existsSync(path.join(dir, 'node_modules'))) {
  console.log('examples/services/ has no node_modules: run `npm ci --prefix examples/services` first')
  result = { passed: 0, failed: 1 }
} else {
  const files = readdirSync(path.join(dir, 'test'))
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => path.join(dir, 'test', f))
  result = await runTestFiles(files, { concurrency: false })
}
console.log(`${result.passed} passed, ${result.failed} failed`)
process.exit(result.failed === 0 ? 0 : 1)
