// `npm run test:e2e`: the browser tests, e2e/*.e2e.mjs (node:test files), against one `wrangler dev`
// with fresh local state and one headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), both shared by every file. Ends with the plain line `N passed, N failed`.
// `--docs-screenshots` also writes docs/demo.png and docs/api-docs.png.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { runTestFiles } from '../scripts/lib/run-tests.mjs'
import { handOver } from './harness.mjs'
import { startWorker } from './server.mjs'

const root = path.resolve(import.meta.dirname, '..')
// In this order, one file at a time: they share the server, and readme.e2e.mjs empties its database.
const FILES = ['demo', 'oidc', 'account', 'verification-required', 'docs', 'readme', 'import'].map((name) => path.join(import.meta.dirname, `${name}.e2e.mjs`))
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

async function main() {
  const { values } = parseArgs({ options: { 'docs-screenshots': { type: 'boolean', default: false } } })
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} not found (apt-get install chromium, or set CHROMIUM_PATH)`)
  if (!existsSync(path.join(root, 'public/vendor/swagger-ui/swagger-ui-bundle.js'))) {
    throw new Error('public/vendor/swagger-ui/ is missing: run `npm install` (its postinstall copies it)')
  }
  const worker = await startWorker()
  let browserServer
  try {
    browserServer = await chromium.launchServer({ executablePath, headless: true, args: ARGS })
    Object.assign(process.env, handOver({ worker, browserServer, docsScreenshots: values['docs-screenshots'] }))
    console.log(`e2e: ${worker.baseUrl}, ${executablePath}`)
    const result = await runTestFiles(FILES, { concurrency: false })
    if (result.failed > 0 && existsSync(worker.output)) console.log(`wrangler dev said:\n${readFileSync(worker.output, 'utf8')}`)
    return result
  } finally {
    await browserServer?.close().catch(() => {})
    await worker.stop()
  }
}

let result
try {
  result = await main()
} catch (e) {
  console.log(`e2e could not run: ${e?.stack ?? e}`)
  result = { passed: 0, failed: 1 }
}
console.log(`${result.passed} passed, ${result.failed} failed`)
process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1)
