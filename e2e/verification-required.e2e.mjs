// The demo page against a second `wrangler dev` with REQUIRE_EMAIL_VERIFICATION=true: opening the
// emailed verification link asks for the account's password (the link alone proves the inbox, not
// who chose the password), a wrong one is refused, the right one verifies, and login then works.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { sharedRun } from './harness.mjs'
import { linkFromOutput } from './mail.mjs'
import { startWorker } from './server.mjs'

const shared = sharedRun()
const PASSWORD = 'correct horse battery'
let worker

before(async () => {
  worker = await startWorker({ vars: { REQUIRE_EMAIL_VERIFICATION: 'true' } })
})
after(async () => {
  await worker?.stop()
})

test('REQUIRE_EMAIL_VERIFICATION=true: the verification link asks for the password; a wrong one is refused, the right one verifies', async () => {
  const page = await shared.context.newPage()
  await page.goto(`${worker.baseUrl}/`, { waitUntil: 'networkidle' })
  const email = `required-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`
  const registerForm = page.locator('#register-form')
  await registerForm.getByLabel('First name').fill('Grace')
  await registerForm.getByLabel('Email').fill(email)
  await registerForm.getByLabel('Password').fill(PASSWORD)
  await registerForm.getByRole('button', { name: 'Register' }).click()
  await registerForm.locator('[data-form-status]').getByText('Verify your email address', { exact: false }).waitFor()

  const link = await linkFromOutput(email, 'verify', { output: () => readFileSync(worker.output, 'utf8') })
  assert.ok(link.startsWith(`${worker.baseUrl}/#verify=`), link)
  await page.goto(link, { waitUntil: 'networkidle' })
  const verify = page.locator('#verify-form')
  await verify.getByLabel('Password').waitFor()
  assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar')
  await verify.getByText('use “Forgot password?” instead', { exact: false }).waitFor()

  await verify.getByLabel('Password').fill('not the password')
  await verify.getByRole('button', { name: 'Verify the email' }).click()
  await verify.locator('[data-error-for="password"]').getByText('Invalid password').waitFor()
  assert.equal(await verify.locator('[data-form-error]').textContent(), '', 'by the field, not under the form')

  await verify.getByLabel('Password').fill(PASSWORD)
  await verify.getByRole('button', { name: 'Verify the email' }).click()
  await page.locator('#session-status').getByText('Email verified successfully. You can log in now.').waitFor()
  await verify.waitFor({ state: 'hidden' }) // the link is used: its card closes

  const login = page.locator('#login-form')
  await login.getByLabel('Email').fill(email)
  await login.getByLabel('Password').fill(PASSWORD)
  await login.getByRole('button', { name: 'Log in' }).click()
  await page.locator('#verification').getByText('Email verified').waitFor()
  await page.close()
})
