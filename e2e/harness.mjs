// What every e2e file shares. e2e/run.mjs starts one `wrangler dev` and one Chromium for the whole
// run; node:test runs each file in a process of its own, so they reach the files through the
// environment variables below (handOver in run.mjs, sharedRun in the files).
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before } from 'node:test'
import { chromium } from 'playwright-core'

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'test-results', 'e2e')
mkdirSync(SCREENSHOTS, { recursive: true })
const DOCS = path.resolve(import.meta.dirname, '..', 'docs')

/** The environment variables that give the test files the run's server and browser. */
export const handOver = ({ worker, browserServer, docsScreenshots }) => ({
  E2E_BASE_URL: worker.baseUrl,
  E2E_STATE: worker.state,
  E2E_SERVER_OUTPUT: worker.output,
  E2E_BROWSER: browserServer.wsEndpoint(),
  E2E_DOCS_SCREENSHOTS: docsScreenshots ? '1' : '',
})

/** Everything the run's dev server printed so far (e2e/mail.mjs reads the simulated emails in it). */
export const devServerOutput = () => readFileSync(process.env.E2E_SERVER_OUTPUT, 'utf8')

/**
 * The run's server and browser, for the tests of one file: `{ baseUrl, state (its --persist-to
 * directory), docsScreenshots }` at once, and `context`, a browser context of its own, from its
 * before hook on (unless `browser: false`).
 */
export function sharedRun({ browser: withBrowser = true } = {}) {
  const { E2E_BASE_URL, E2E_STATE, E2E_BROWSER, E2E_DOCS_SCREENSHOTS } = process.env
  if (!E2E_BASE_URL) {
    throw new Error('the browser tests run through `npm run test:e2e` (e2e/run.mjs): it starts the server and the browser')
  }
  const run = {
    baseUrl: E2E_BASE_URL,
    state: E2E_STATE,
    docsScreenshots: E2E_DOCS_SCREENSHOTS
      ? { demo: path.join(DOCS, 'demo.png'), docs: path.join(DOCS, 'api-docs.png') }
      : undefined,
  }
  if (!withBrowser) return run
  let browser
  before(async () => {
    browser = await chromium.connect(E2E_BROWSER)
    run.context = await browser.newContext()
    run.context.setDefaultTimeout(15_000)
  })
  after(async () => {
    await run.context?.close()
    await browser?.close()
  })
  return run
}

/**
 * Records what a page does on the network and in its console. `external` is any request that
 * leaves the page's origin (data: and blob: URLs never reach the network).
 */
export function watch(page, origin) {
  const log = { requests: [], external: [], failed: [], consoleErrors: [] }
  page.on('request', (r) => {
    const url = r.url()
    log.requests.push(`${r.method()} ${url}`)
    if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) log.external.push(url)
  })
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText}`))
  page.on('response', (r) => {
    if (r.status() >= 400) log.failed.push(`${r.url()}: HTTP ${r.status()}`)
  })
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => log.consoleErrors.push(`uncaught: ${e.message}`))
  return log
}

/** A page that loaded cleanly: nothing external, nothing failed, nothing in the console. */
export function assertClean(log, assert) {
  assert.deepEqual(log.external, [], 'external requests')
  assert.deepEqual(log.failed, [], 'failed requests')
  assert.deepEqual(log.consoleErrors, [], 'console errors')
}
