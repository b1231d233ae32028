// A tiny test harness: named tests run in order, each failure is reported and counted.
import { mkdirSync } from 'node:fs'
import path from 'node:path'

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'test-results', 'e2e')
mkdirSync(SCREENSHOTS, { recursive: true })

const tests = []
export const test = (name, fn) => tests.push({ name, fn })

export async function runAll(context) {
  let passed = 0
  let failed = 0
  for (const { name, fn } of tests) {
    const started = Date.now()
    try {
      await fn(context)
      passed++
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`)
    } catch (e) {
      failed++
      console.log(
        `  ✗ ${name} (${Date.now() - started} ms)\n    ${String(e?.stack ?? e)
          .split('\n')
          .join('\n    ')}`,
      )
    }
  }
  return { passed, failed }
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
