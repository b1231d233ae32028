// `npm run test:services`: the node tests of examples/services/ (the services around the API, with
// their own package.json: `npm ci --prefix examples/services` first), one file at a time (some
// start `wrangler dev`). Ends with `N passed, N failed`, like `npm test`.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { runTestFiles } from './lib/run-tests.mjs'
import { root } from './lib/wrangler-run.mjs'

const dir = path.join(root, 'examples', 'services')
let result
if (!existsSync(path.join(dir, 'node_modules'))) {
  console.log('examples/services has no node_modules: run `npm ci --prefix examples/services` first')
  result = { passed: 0, failed: 1 }
} else {
  const tests = path.join(dir, 'test')
  const files = readdirSync(tests).filter((f) => f.endsWith('.test.mjs')).map((f) => path.join(tests, f))
  result = await runTestFiles(files, { concurrency: false })
}
console.log(`${result.passed} passed, ${result.failed} failed`)
process.exit(result.failed === 0 ? 0 : 1)
