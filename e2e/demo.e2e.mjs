// The demo page at /: a real cookie session in a real browser.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { assertClean, SCREENSHOTS, sharedRun, watch } from './harness.mjs'

const shared = sharedRun()

const uniqueEmail = (tag) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`
const PASSWORD = 'correct horse battery'

async function openDemo({ context, baseUrl }) {
  await context.clearCookies()
  const page = await context.newPage()
  const log = watch(page, baseUrl)
  const response = await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' })
  return { page, log, response }
}

async function register(page, { firstName, lastName, email, password }) {
  const form = page.locator('#register-form')
  await form.getByLabel('First name').fill(firstName)
  await form.getByLabel('Last name').fill(lastName)
  await form.getByLabel('Email').fill(email)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Register' }).click()
}

const sessionCookie = async (context, baseUrl) => (await context.cookies(baseUrl)).find((c) => c.name === '__Host-token')

test('GET / loads under its CSP with no external or failed request and no console error', async () => {
  const { page, log, response } = await openDemo(shared)
  assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/)
  await page.locator('#register-form').waitFor()
  assertClean(log, assert)
  assert.ok(
    log.requests.some((r) => r.endsWith('/app.js')),
    'app.js was loaded',
  )
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-initial.png'), fullPage: true })
  await page.close()
})

test('the demo calls the API only through /compat/standard, whatever DIALECT the root speaks', async () => {
  const { page, log } = await openDemo(shared)
  await register(page, { firstName: 'Alan', lastName: 'Turing', email: uniqueEmail('alan'), password: PASSWORD })
  await page.locator('#profile-name').getByText('Alan Turing').waitFor()
  await page.getByRole('button', { name: 'Show my profile' }).click()
  await page.getByRole('button', { name: 'Log out', exact: true }).click()
  await page.locator('#session-status').getByText('Logged out successfully').waitFor()
  const api = log.requests.filter((r) => /\/(api\/)?users\//.test(new URL(r.split(' ')[1]).pathname))
  assert.ok(api.length >= 3, `the demo called the API (${api.length} requests)`)
  for (const r of api) assert.match(new URL(r.split(' ')[1]).pathname, /^\/compat\/standard\//, r)
  await page.close()
})

test('register on / -> the profile shows the name after a reload -> log out -> the profile is refused', async () => {
  const { context, baseUrl } = shared
  const { page } = await openDemo(shared)
  const email = uniqueEmail('ada')
  await register(page, { firstName: 'Ada', lastName: 'Lovelace', email, password: PASSWORD })
  await page.locator('#profile-name').getByText('Ada Lovelace').waitFor()

  // The session is the API's cookie, kept over http://localhost although it is Secure.
  const cookie = await sessionCookie(context, baseUrl)
  assert.ok(cookie, 'the __Host-token cookie is stored')
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.secure, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.doesNotMatch(await page.evaluate(() => document.cookie), /__Host-token=/, 'page scripts cannot read it')
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'the page stores nothing')

  // After a reload the page asks GET /session by itself: signed in, with no click, no 401 in the console.
  const reloaded = watch(page, baseUrl)
  await page.reload({ waitUntil: 'networkidle' })
  await page.locator('#profile-name').getByText('Ada Lovelace').waitFor()
  assertClean(reloaded, assert)
  assert.ok(reloaded.requests.some((r) => r.endsWith('/compat/standard/users/session')), 'the quiet session check')
  await page.getByRole('button', { name: 'Show my profile' }).click()
  await page.locator('#profile-name').getByText('Ada Lovelace').waitFor()
  await page.locator('#profile').getByText(email).waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-signed-in.png'), fullPage: true })
  if (shared.docsScreenshots) await page.screenshot({ path: shared.docsScreenshots.demo, fullPage: true })

  await page.getByRole('button', { name: 'Log out', exact: true }).click()
  await page.locator('#session-status').getByText('Logged out successfully').waitFor()
  assert.equal(await sessionCookie(context, baseUrl), undefined, 'the cookie is cleared')
  await page.getByRole('button', { name: 'Show my profile' }).click()
  await page.locator('#profile .signed-out').getByText('Unauthorized').waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-logged-out.png'), fullPage: true })
  await page.close()
})

test('log in -> change password -> the old session is refused -> log in with the new password', async () => {
  const { page } = await openDemo(shared)
  const email = uniqueEmail('grace')
  await register(page, { firstName: 'Grace', lastName: '', email, password: PASSWORD })
  await page.locator('#profile-name').getByText('Grace').waitFor()
  await shared.context.clearCookies()

  const login = page.locator('#login-form')
  await login.getByLabel('Email').fill(email)
  await login.getByLabel('Password').fill(PASSWORD)
  await login.getByRole('button', { name: 'Log in' }).click()
  await login.getByText(`Logged in as ${email}.`).waitFor()

  const change = page.locator('#change-password-form')
  await change.getByLabel('Email').fill(email)
  await change.getByLabel('Old password').fill(PASSWORD)
  await change.getByLabel('New password').fill('battery staple horse')
  await change.getByRole('button', { name: 'Change password' }).click()
  await change.getByText('Password updated successfully.', { exact: false }).waitFor()
  await page.locator('#profile .signed-out').waitFor()
  // The login form's "Logged in as" is about a session that has ended: gone.
  assert.equal(await login.locator('[data-form-status]').textContent(), '', 'no stale login message')

  await login.getByLabel('Password').fill('battery staple horse')
  await login.getByRole('button', { name: 'Log in' }).click()
  await page.locator('#profile-name').getByText('Grace').waitFor()
  await page.close()
})

test('a validation error appears next to the field it names; other errors under the form', async () => {
  const { page } = await openDemo(shared)
  const form = page.locator('#register-form')
  await register(page, { firstName: 'Jo', lastName: '', email: uniqueEmail('jo'), password: 'short' })

  const firstName = form.getByLabel('First name')
  const error = form.locator('[data-error-for="fullName.firstName"]')
  await error.getByText('First name must be at least 3 characters').waitFor()
  await form.locator('[data-error-for="password"]').getByText('Password must be at least 8 characters').waitFor()
  assert.equal(await form.locator('[data-error-for="email"]').textContent(), '', 'a valid field shows no error')
  assert.equal(await firstName.getAttribute('aria-invalid'), 'true')
  assert.equal(await firstName.getAttribute('aria-describedby'), await error.getAttribute('id'))
  // Next to the field: the message sits right under its input.
  const [input, message] = await Promise.all([firstName.boundingBox(), error.boundingBox()])
  assert.ok(message.y >= input.y + input.height && message.y - (input.y + input.height) < 20, 'under its input')
  assert.ok(Math.abs(message.x - input.x) < 5, 'aligned with its input')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-validation.png'), fullPage: true })

  // A non-field error (409) is shown under the form.
  const email = uniqueEmail('dup')
  await register(page, { firstName: 'John', lastName: 'Doe', email, password: PASSWORD })
  await page.locator('#profile-name').getByText('John Doe').waitFor()
  await register(page, { firstName: 'John', lastName: 'Doe', email: email.toUpperCase(), password: PASSWORD })
  await form.locator('[data-form-error]').getByText('User already exists').waitFor()
  await page.close()
})
