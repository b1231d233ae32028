// `npm run test:unit`: vitest alone (args pass through), ending with the line CI reads: `N passed, N failed`.
import { runVitest } from './lib/run-tests.mjs'

const { passed, failed } = await runVitest(process.argv.slice(2))
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
