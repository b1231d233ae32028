// The account lifecycle on the demo page, with the emails `wrangler dev` simulates: each link is
// taken from the dev server's output (the printed Text: file), as a developer would.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { assertClean, SCREENSHOTS, sharedRun, watch } from './harness.mjs'
import { emailCount, linkFromOutput } from './mail.mjs'

const shared = sharedRun()

const uniqueEmail = (tag) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`
const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'battery staple horse'

async function openDemo({ context, baseUrl }) {
  await context.clearCookies()
  const page = await context.newPage()
  const log = watch(page, baseUrl)
  await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' })
  return { page, log }
}

async function register(page, { firstName, email }) {
  const form = page.locator('#register-form')
  await form.getByLabel('First name').fill(firstName)
  await form.getByLabel('Last name').fill('Tester')
  await form.getByLabel('Email').fill(email)
  await form.getByLabel('Password').fill(PASSWORD)
  await form.getByRole('button', { name: 'Register' }).click()
  await page.locator('#profile-name').getByText(`${firstName} Tester`).waitFor()
}

async function logIn(page, email, password) {
  const form = page.locator('#login-form')
  await form.getByLabel('Email').fill(email)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Log in' }).click()
}

const profileWith = (baseUrl, headers) =>
  fetch(`${baseUrl}/compat/standard/users/profile`, { headers }).then((r) => r.status)

/** "Forgot password?" on the page, then the reset link of the email the dev server printed. */
async function askResetLink(page, email) {
  const before = emailCount()
  await page.locator('#login-form').getByRole('button', { name: 'Forgot password?' }).click()
  const forgot = page.locator('#forgot-form')
  await forgot.getByLabel('Email').fill(email)
  await forgot.getByRole('button', { name: 'Send reset link' }).click()
  await forgot.getByText('If an account exists for this email, a reset link has been sent.').waitFor()
  return linkFromOutput(email, 'reset', { after: before })
}

/** Sets a new password in the reset card; it closes, and the session card says how it went. */
async function useResetCard(page, password) {
  const reset = page.locator('#reset-form')
  await reset.getByLabel('New password').fill(password)
  await reset.getByRole('button', { name: 'Set the new password' }).click()
  await page.locator('#session-status').getByText('Password has been reset. Log in with the new password', { exact: false }).waitFor()
  await reset.waitFor({ state: 'hidden' })
}

test('forgot password -> the link from the dev server output -> new password -> every old session refused', async () => {
  const { context, baseUrl } = shared
  const { page } = await openDemo(shared)
  const email = uniqueEmail('reset')
  await register(page, { firstName: 'Rosalind', email })
  const cookieSession = (await context.cookies(baseUrl)).find((c) => c.name === '__Host-token').value
  // A second session elsewhere (a Bearer token), to see it end too.
  const login = await fetch(`${baseUrl}/compat/standard/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  const { token: bearerSession } = await login.json()
  assert.equal(await profileWith(baseUrl, { Authorization: `Bearer ${bearerSession}` }), 200)
  assert.equal(await profileWith(baseUrl, { Cookie: `__Host-token=${cookieSession}` }), 200)

  const link = await askResetLink(page, email)
  assert.ok(link.startsWith(`${baseUrl}/#reset=`), `the link opens the demo page: ${link}`)
  const log = watch(page, baseUrl)
  await page.goto(link, { waitUntil: 'networkidle' })
  const reset = page.locator('#reset-form')
  await reset.waitFor()
  assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-reset.png'), fullPage: true })
  await useResetCard(page, NEW_PASSWORD)
  await page.locator('#profile .signed-out').waitFor()
  assertClean(log, assert)

  // Every session from before the reset is refused: the browser's cookie and the Bearer token.
  assert.equal(await profileWith(baseUrl, { Cookie: `__Host-token=${cookieSession}` }), 401)
  assert.equal(await profileWith(baseUrl, { Authorization: `Bearer ${bearerSession}` }), 401)

  // The old password is refused, the new one works, and the reset verified the email.
  await logIn(page, email, PASSWORD)
  await page.locator('#login-form [data-form-error]').getByText('Invalid email or password').waitFor()
  await logIn(page, email, NEW_PASSWORD)
  await page.locator('#profile-name').getByText('Rosalind Tester').waitFor()
  await page.locator('#verification').getByText('Email verified').waitFor()
  assert.equal(await reset.isVisible(), false, 'the used card stays closed once signed in again')

  // The link works once: opened again, its card says so, and stays open to show it.
  await page.goto(link, { waitUntil: 'networkidle' })
  await reset.getByLabel('New password').fill('a third password')
  await reset.getByRole('button', { name: 'Set the new password' }).click()
  await reset.locator('[data-form-error]').getByText('Invalid or expired token').waitFor()
  assert.equal(await reset.isVisible(), true, 'a refused link keeps its card, with the reason')
  await page.close()
})

test('a used reset card stays closed through log in, rename and account deletion', async () => {
  const { page } = await openDemo(shared)
  const email = uniqueEmail('closed')
  await register(page, { firstName: 'Dorothy', email })
  const link = await askResetLink(page, email)
  await page.goto(link, { waitUntil: 'networkidle' })
  const reset = page.locator('#reset-form')
  await reset.waitFor()
  await useResetCard(page, NEW_PASSWORD)

  await logIn(page, email, NEW_PASSWORD)
  await page.locator('#profile-name').getByText('Dorothy Tester').waitFor()
  assert.equal(await reset.isVisible(), false, 'closed after log in')
  const profile = page.locator('#profile-form')
  await profile.getByLabel('First name').fill('Dot')
  await profile.getByRole('button', { name: 'Save name' }).click()
  await profile.getByText('Name saved.').waitFor()
  assert.equal(await reset.isVisible(), false, 'closed after rename')
  const del = page.locator('#delete-form')
  await del.getByLabel('Password').fill(NEW_PASSWORD)
  await del.getByRole('button', { name: 'Delete my account' }).click()
  await page.locator('#session-status').getByText('Account deleted. You are signed out.').waitFor()
  assert.equal(await reset.isVisible(), false, 'closed after deletion')
  await page.close()
})

test('register -> the page shows the email unverified -> resend -> the link from the output verifies it', async () => {
  const { baseUrl } = shared
  const { page, log } = await openDemo(shared)
  const email = uniqueEmail('verify')
  await register(page, { firstName: 'Barbara', email })
  await page.locator('#verification').getByText('Email not verified', { exact: false }).waitFor()
  await linkFromOutput(email, 'verify') // register sent the first one

  const before = emailCount()
  await page.getByRole('button', { name: 'Resend verification email' }).click()
  await page.locator('#session-status').getByText('Verification email sent', { exact: false }).waitFor()
  const link = await linkFromOutput(email, 'verify', { after: before })
  assert.ok(link.startsWith(`${baseUrl}/#verify=`), link)

  await page.goto(link, { waitUntil: 'networkidle' })
  await page.locator('#session-status').getByText('Email verified successfully.').waitFor()
  await page.locator('#verification').getByText('Email verified').waitFor()
  assert.equal(await page.getByRole('button', { name: 'Resend verification email' }).isVisible(), false)
  assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-verified.png'), fullPage: true })
  assertClean(log, assert)
  await page.close()
})

test('messages follow the session: log out clears the login message, and a reload shows signed out quietly', async () => {
  const { page, log } = await openDemo(shared)
  await page.locator('#profile .signed-out').waitFor() // the quiet check on load: nobody, no 401
  const email = uniqueEmail('stale')
  await register(page, { firstName: 'Hedy', email })
  await page.context().clearCookies()
  await logIn(page, email, PASSWORD)
  const loginStatus = page.locator('#login-form [data-form-status]')
  await loginStatus.getByText(`Logged in as ${email}.`).waitFor()

  await page.getByRole('button', { name: 'Log out', exact: true }).click()
  await page.locator('#session-status').getByText('Logged out successfully').waitFor()
  assert.equal(await loginStatus.textContent(), '', 'no stale "Logged in as" after logout')
  assert.equal(await page.locator('#register-form [data-form-status]').textContent(), '', 'no stale "Registered as"')
  assert.equal(await page.locator('#profile-form').isVisible(), false, 'the signed-in cards are hidden')

  await page.reload({ waitUntil: 'networkidle' })
  await page.locator('#profile .signed-out').waitFor()
  assert.equal(await page.locator('#session-status').textContent(), '', 'nothing left from before the reload')
  assertClean(log, assert)
  await page.close()
})

test('signed in: rename in any shape the form sends, then delete the account with the password', async () => {
  const { page, log } = await openDemo(shared)
  const email = uniqueEmail('rename')
  await register(page, { firstName: 'Katherine', email })
  const profile = page.locator('#profile-form')
  await profile.getByLabel('First name').fill('Kathy')
  await profile.getByLabel('Last name').fill('')
  await profile.getByRole('button', { name: 'Save name' }).click()
  await profile.getByText('Name saved.').waitFor()
  await page.locator('#profile-name').getByText('Kathy', { exact: true }).waitFor()

  const del = page.locator('#delete-form')
  await del.getByLabel('Password').fill('not the password')
  await del.getByRole('button', { name: 'Delete my account' }).click()
  // WRONG_PASSWORD is about the password: shown by that field, marked invalid, not under the form.
  const passwordError = del.locator('[data-error-for="password"]')
  await passwordError.getByText('Invalid password').waitFor()
  assert.equal(await del.locator('[data-form-error]').textContent(), '', 'not also under the form')
  const passwordInput = del.getByLabel('Password')
  assert.equal(await passwordInput.getAttribute('aria-invalid'), 'true')
  assert.equal(await passwordInput.getAttribute('aria-describedby'), await passwordError.getAttribute('id'))
  await del.getByLabel('Password').fill(PASSWORD)
  await del.getByRole('button', { name: 'Delete my account' }).click()
  await page.locator('#profile .signed-out').waitFor()
  await page.locator('#session-status').getByText('Account deleted. You are signed out.').waitFor()
  // The email registers again.
  await register(page, { firstName: 'Katherine', email })
  assert.deepEqual(
    log.failed.filter((f) => !/profile: HTTP 401$/.test(f)),
    [],
    'no failed request but the wrong password’s 401',
  )
  await page.close()
})
