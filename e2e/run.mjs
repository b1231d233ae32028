// `npm run test:e2e`: headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against `wrangler dev` with fresh local state. Ends with the plain line `N passed, N failed`.
// `--docs-screenshots` also writes docs/demo.png and docs/api-docs.png.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { runAll } from './harness.mjs'
import { startWorker } from './server.mjs'
import './demo.e2e.mjs'
import './account.e2e.mjs'
import './docs.e2e.mjs'
import './readme.e2e.mjs'
import './import.e2e.mjs'

const root = path.resolve(import.meta.dirname, '..')
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
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} not found (apt-get install chromium, or set CHROMIUM_PATH)`)
  if (!existsSync(path.join(root, 'public/vendor/swagger-ui/swagger-ui-bundle.js'))) {
    throw new Error('public/vendor/swagger-ui/ is missing: run `npm install` (its postinstall copies it)')
  }
  const serverLog = []
  const worker = await startWorker({ log: (line) => serverLog.push(line) })
  const profile = mkdtempSync(path.join(tmpdir(), 'e2e-chromium-'))
  let context
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ARGS })
    context.setDefaultTimeout(15_000)
    const docsScreenshots = process.argv.includes('--docs-screenshots')
      ? { demo: path.join(root, 'docs/demo.png'), docs: path.join(root, 'docs/api-docs.png') }
      : undefined
    console.log(`e2e: ${worker.baseUrl}, ${executablePath}`)
    const result = await runAll({ context, baseUrl: worker.baseUrl, state: worker.state, persistTo: worker.state, docsScreenshots })
    if (result.failed > 0 && serverLog.length) console.log(`wrangler dev said:\n${serverLog.join('')}`)
    return result
  } finally {
    await context?.close().catch(() => {})
    rmSync(profile, { recursive: true, force: true })
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
