// The API reference at /docs: Swagger UI served by the Worker's static assets, no CDN.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { assertClean, SCREENSHOTS, sharedRun, watch } from './harness.mjs'

const shared = sharedRun()

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** /docs opened on the register operation (a deep link expands it), with its page watched. */
async function openRegisterOperation(context, baseUrl) {
  const page = await context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  const log = watch(page, baseUrl)
  await page.goto(`${baseUrl}/docs#/users/register`, { waitUntil: 'networkidle' })
  const op = page.locator('#operations-users-register')
  // Swagger UI renders the whole document before it opens the deep link: seconds on a busy machine.
  await op.locator('.opblock-body').waitFor({ timeout: 60_000 })
  return { page, log, op }
}

test('GET /docs renders every operation with no external or failed request and no console error', async () => {
  const { context, baseUrl } = shared
  const spec = await (await fetch(`${baseUrl}/openapi.json`)).json()
  const documented = Object.entries(spec.paths)
    .flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    )
    .sort()

  const page = await context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  const log = watch(page, baseUrl)
  const response = await page.goto(`${baseUrl}/docs`, { waitUntil: 'networkidle' })
  assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/)
  await page.locator('.opblock').first().waitFor()
  const rendered = await page.$$eval('.opblock', (blocks) =>
    blocks.map((b) => {
      const method = b.querySelector('.opblock-summary-method')?.textContent?.trim()
      const p = b.querySelector('.opblock-summary-path')?.getAttribute('data-path')
      return `${method} ${p}`
    }),
  )
  assert.deepEqual(rendered.sort(), documented, 'one rendered operation per documented operation')
  await page.getByText('Users auth API', { exact: false }).first().waitFor()
  assertClean(log, assert)
  assert.ok(log.requests.some((r) => r.endsWith('/vendor/swagger-ui/swagger-ui-bundle.js')))
  assert.ok(log.requests.some((r) => r.endsWith('/openapi.json')))
  await page.screenshot({ path: path.join(SCREENSHOTS, 'docs.png'), fullPage: true })
  const top = { x: 0, y: 0, width: 1280, height: 1320 }
  if (shared.docsScreenshots) await page.screenshot({ path: shared.docsScreenshots.docs, fullPage: true, clip: top })
  await page.close()
})

test('/docs: an operation opens with its schema and examples, and "Try it out" calls its documented path on this origin', async () => {
  const { context, baseUrl } = shared
  const { page, log, op } = await openRegisterOperation(context, baseUrl)
  const examples = op.locator('.opblock-section-request-body .examples-select select')
  assert.ok((await examples.locator('option').allTextContents()).includes('fullName as an object (201)'))
  await op.locator('.opblock-section-request-body').getByText('john.doe@example.com').first().waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'docs-register.png'), timeout: 60_000 })

  // The default server is this origin itself: "Try it out" calls the path the page shows.
  const server = await page.locator('.servers select').inputValue()
  const spec = await (await fetch(`${baseUrl}/openapi.json`)).json()
  assert.equal(server, spec.servers[0].url, 'the first server is the default')
  assert.equal(new URL(server, baseUrl).href, `${baseUrl}/`, 'the origin itself')

  // Execute the documented invalid example from the browser: the API's 400 comes back.
  await op.getByRole('button', { name: 'Try it out' }).click()
  await examples.selectOption({ label: 'three invalid fields (400)' })
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/users/register'))
  await op.getByRole('button', { name: 'Execute' }).click()
  assert.equal((await sent).url(), `${baseUrl}/users/register`, 'the documented path, on this origin')
  await op.locator('.live-responses-table .response-col_status').getByText('400').first().waitFor()
  await op.getByText('First name must be at least 3 characters').first().waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'docs-try-it-out.png'), fullPage: false })
  assert.deepEqual(log.external, [], 'external requests')
  assert.deepEqual(
    log.consoleErrors.filter((m) => !/status of 400/.test(m)),
    [],
    'no console error but the 400 the example asks for',
  )
  await page.close()
})

test('/docs: error responses show their real bodies, and every schema is named (no "any")', async () => {
  const { context, baseUrl } = shared
  const { page, log, op } = await openRegisterOperation(context, baseUrl)
  const tooLarge = op.locator('.responses-table tr.response[data-code="413"]')
  const shown = tooLarge.locator('pre').filter({ hasText: '"status": 413' }).first()
  const example = JSON.parse(await shown.innerText())
  assert.deepEqual(example, { status: 413, message: 'Request body too large (limit 16 KiB)', code: 'BODY_TOO_LARGE' })

  // Every schema, opened all the way down: each union branch is named, and no type reads "any".
  const models = page.locator('section.models')
  const labels = () => models.locator('.json-schema-2020-12__attribute--primary').allTextContents()
  assert.deepEqual((await labels()).filter((t) => /\bany\b/.test(t)), [], 'closed schemas labelled any')
  const expand = models.locator('article[data-json-schema-level="0"] > .json-schema-2020-12-head .json-schema-2020-12-expand-deep-button')
  for (let i = 0, n = await expand.count(); i < n; i++) await expand.nth(i).click()
  const register = models
    .locator('article[data-json-schema-level="0"]')
    .filter({ has: page.locator('.json-schema-2020-12__title', { hasText: /^RegisterBody$/ }) })
  for (const branch of ['Register: fullName object', 'Register: legacy fullname object', 'Register: fullName string']) {
    await register.locator('.json-schema-2020-12__title', { hasText: branch }).first().waitFor()
  }
  assert.deepEqual((await labels()).filter((t) => /\bany\b/.test(t)), [], 'open schemas labelled any')

  // The Schemas list: one entry per schema, each under a title of its own.
  const listed = await models.locator('article[data-json-schema-level="0"] > .json-schema-2020-12-head .json-schema-2020-12__title').allTextContents()
  const spec = await (await fetch(`${baseUrl}/openapi.json`)).json()
  assert.equal(listed.length, Object.keys(spec.components.schemas).length, 'one entry per component schema')
  const repeated = listed.filter((t, i) => listed.findIndex((u) => u.toLowerCase() === t.toLowerCase()) !== i)
  assert.deepEqual(repeated, [], 'schema titles listed more than once')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'docs-schemas.png'), fullPage: true })
  assertClean(log, assert)
  await page.close()
})
