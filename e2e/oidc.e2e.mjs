// "Sign in with Google" on the demo page, without Google: a second `wrangler dev` has GOOGLE_CLIENT_ID
// set and the `google` provider's issuer pointed at the local OpenID provider (the one the workerd
// tests use, test/fixtures/oidc-provider.mjs). The browser's request for Google Identity Services is
// answered by a stand-in whose button hands the page an ID token that the local provider signed, as
// Google's hands it one. Nothing reaches the network.
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { CLIENT_ID, startOidcProvider } from '../test/fixtures/oidc-provider.mjs'
import { SCREENSHOTS, sharedRun, watch } from './harness.mjs'
import { startWorker } from './server.mjs'

const shared = sharedRun()
const GIS = 'https://accounts.google.com/gsi/client'
const TENANT = 'e2e'

let provider
let worker

before(async () => {
  provider = await startOidcProvider()
  worker = await startWorker({
    vars: { GOOGLE_CLIENT_ID: CLIENT_ID, OIDC_PROVIDERS: JSON.stringify({ google: { issuer: provider.issuer(TENANT) } }) },
  })
})

after(async () => {
  await worker?.stop()
  await provider?.stop()
})

/**
 * Google Identity Services as the page uses it (initialize, renderButton), whose button answers the
 * page's callback with `credential`, as Google's does after the user picks an account.
 */
const standIn = (credential) => `
window.google = { accounts: { id: {
  initialize(config) { window.__gis = config },
  renderButton(parent) {
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = 'Sign in with Google'
    button.addEventListener('click', () => window.__gis.callback({ credential: ${JSON.stringify(credential)}, select_by: 'btn' }))
    parent.append(button)
  },
} } }`

/** The demo page of the Google-enabled server, whose Google script hands out `claims`' ID token. */
async function openWithGoogle(claims) {
  const { context } = shared
  await context.clearCookies()
  const page = await context.newPage()
  const log = watch(page, worker.baseUrl)
  await page.route(GIS, (route) => route.fulfill({ contentType: 'text/javascript', body: standIn(provider.mint(TENANT, { claims })) }))
  const response = await page.goto(`${worker.baseUrl}/`, { waitUntil: 'networkidle' })
  return { page, log, response }
}

test('without GOOGLE_CLIENT_ID the demo page shows no Google button, and its CSP lets nothing of Google in', async () => {
  const { context, baseUrl } = shared
  const page = await context.newPage()
  const log = watch(page, baseUrl)
  const response = await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' })
  await page.locator('#register-form').waitFor()
  assert.equal(await page.locator('#google-card').isVisible(), false)
  assert.doesNotMatch(response.headers()['content-security-policy'], /google/)
  assert.deepEqual(log.external, [])
  await page.close()
})

test('with GOOGLE_CLIENT_ID: Sign in with Google creates the account, signs in, and the next sign-in finds it', async () => {
  const email = `grace-${Date.now()}@example.com`
  const claims = { sub: `google-${Date.now()}`, email, given_name: 'Grace', family_name: 'Hopper' }
  const { page, log, response } = await openWithGoogle(claims)
  assert.match(response.headers()['content-security-policy'], /script-src 'self' https:\/\/accounts\.google\.com\/gsi\/client/)
  // The one request to another origin is Google's script (answered by the stand-in above).
  assert.deepEqual(log.external, [GIS])
  assert.deepEqual(log.consoleErrors, [])

  await page.getByRole('button', { name: 'Sign in with Google' }).click()
  await page.locator('#google-status').getByText(`Account created: you are signed in with Google as ${email}.`).waitFor()
  await page.locator('#profile-name').getByText('Grace Hopper').waitFor()
  const id = await page.locator('#profile dd').nth(2).textContent()
  const cookie = (await shared.context.cookies(worker.baseUrl)).find((c) => c.name === '__Host-token')
  assert.ok(cookie?.httpOnly, 'the session is the httpOnly cookie')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-google-signed-in.png'), fullPage: true })

  // A reload keeps the session; log out, then the same Google account signs in to the same user.
  await page.reload({ waitUntil: 'networkidle' })
  await page.locator('#profile-name').getByText('Grace Hopper').waitFor()
  await page.getByRole('button', { name: 'Log out', exact: true }).click()
  await page.locator('#session-status').getByText('Logged out successfully').waitFor()
  await page.getByRole('button', { name: 'Sign in with Google' }).click()
  await page.locator('#google-status').getByText(`You are signed in with Google as ${email}.`).waitFor()
  assert.equal(await page.locator('#profile dd').nth(2).textContent(), id, 'the same account')
  await page.close()
})

test('with GOOGLE_CLIENT_ID: an ID token whose email is not verified is refused, and the page says so', async () => {
  const { page } = await openWithGoogle({ email_verified: false })
  await page.getByRole('button', { name: 'Sign in with Google' }).click()
  await page.locator('#google-error').getByText('Email not verified by the provider').waitFor()
  await page.locator('#profile .signed-out').waitFor()
  await page.close()
})
