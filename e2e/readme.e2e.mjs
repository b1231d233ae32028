// The README's curl examples, run as written: top to bottom in a fresh shell (no variables but PATH
// and HOME), twice (the first line empties the local database, so the second run works too).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { sharedRun } from './harness.mjs'
import { emailTmpdir } from './server.mjs'

const { baseUrl, state } = sharedRun({ browser: false })

const root = path.resolve(import.meta.dirname, '..')

/** The README's sh block that starts with `marker` (its first line or lines), as written. */
function readmeBlock(marker, what) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const start = readme.indexOf(`\`\`\`sh\n${marker}`)
  assert.ok(start >= 0, `${what} are in README.md`)
  return readme.slice(start + 6, readme.indexOf('```\n', start + 6))
}

/** Runs `script` in a fresh shell: no variables but PATH, HOME and `env`; `-e` when `errexit`. */
function inFreshShell(script, { errexit = false, env = {}, timeout = 120_000 } = {}) {
  return spawnSync('bash', ['--norc', '--noprofile', ...(errexit ? ['-e'] : []), '-c', script], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout,
  })
}

/** Each of `steps` matches `out`, in this order, from position `at`: each step's answer, in the README's order. */
function assertInOrder(out, steps, run, at = 0) {
  for (const step of steps) {
    const m = step.exec(out.slice(at))
    assert.ok(m, `run ${run}: expected ${step} after position ${at} in:\n${out}`)
    at += m.index + m[0].length
  }
}

/** The README's sh block that starts with `npm run db:reset`, pointed at this run's server and state. */
function readmeExamples(baseUrl, state) {
  const block = readmeBlock('# start from an empty local database', 'the curl examples')
  assert.match(block, /^npm run db:reset$/m)
  assert.match(block, /^API=http:\/\/localhost:8787(\s+#.*)?$/m)
  return block.replace(/^npm run db:reset$/m, `npm run db:reset -- --persist-to '${state}'`).replace(/^API=.*$/m, `API=${baseUrl}`)
}

test('README: the curl examples run top to bottom in a fresh shell, and again', async () => {
  const script = readmeExamples(baseUrl, state)
  for (const run of [1, 2]) {
    const res = inFreshShell(script)
    const out = res.stdout
    assert.equal(res.status, 0, `run ${run}: ${res.stderr}`)
    assert.match(out, /DB \(local\): (\w+: \d+ rows deleted, )*users: \d+ rows deleted/, `run ${run}: db:reset`)
    // Each step's answer, in the README's order.
    const expected = [
      /HTTP\/1.1 201 Created/,
      /"message":"User registered successfully"/,
      /\{"user":\{"_id"/, // profile with the cookie
      /\{"user":\{"_id"/, // profile with the Bearer token
      /"message":"Logged out successfully"/,
      /\{"user":\{"_id"/, // the other session lives
      /"message":"Logged out from all sessions"/,
      /\{"status":401,"message":"Unauthorized","code":"UNAUTHORIZED"\}/,
      /"success":true,"message":"Password updated successfully"/,
      /\{"status":"ok"\}/,
    ]
    assertInOrder(out, expected, run)
  }
})

/** The README's dialect example (Switching from an Express backend, step 1), pointed at this run's server. */
function dialectExample(baseUrl) {
  const block = readmeBlock('# a 002/003 (mongoose) client', 'the dialect example')
  assert.match(block, /^API=http:\/\/localhost:8787\/compat\/mongoose$/m)
  return block.replace(/^API=.*$/m, `API=${baseUrl}/compat/mongoose`)
}

test('README: the dialect example runs as written in a fresh shell, and again', async () => {
  const script = dialectExample(baseUrl)
  const emails = []
  for (const run of [1, 2]) {
    const res = inFreshShell(script, { errexit: true, timeout: 60_000 })
    const out = res.stdout
    assert.equal(res.status, 0, `run ${run}: ${res.stderr}`)
    // The profile: the bare mongoose document of the user just registered (so the token was captured).
    const profile = /^\{"_id":"[0-9a-f-]{36}","fullname":\{"firstname":"John","lastname":"Doe"\},"email":"(john-[0-9a-f-]{36}@example\.com)","socketId":null\}/m.exec(out)
    assert.ok(profile, `run ${run}: the bare document in:\n${out}`)
    emails.push(profile[1])
    const expected = [
      /HTTP\/1.1 200 OK/, // login: 200, not 201
      /\{"user":\{"_id"/,
      /"token":"[\w-]+\.[\w-]+\.[\w-]+"/,
      /"param":"fullname\.firstname"/,
    ]
    assertInOrder(out, expected, run, profile.index + profile[0].length)
  }
  assert.notEqual(emails[0], emails[1], 'each run registers a new address')
})

/** The README's account-lifecycle sh block (it starts with `API=` and defines `last_email`), pointed at this run. */
function lifecycleExamples(baseUrl) {
  const block = readmeBlock('API=http://localhost:8787\nJAR="$(mktemp)"\n# the newest email', 'the account-lifecycle curl examples')
  return block.replace(/^API=.*$/m, `API=${baseUrl}`)
}

test('README: the account-lifecycle curl examples run top to bottom in a fresh shell, and again', async () => {
  const script = lifecycleExamples(baseUrl)
  for (const run of [1, 2]) {
    // TMPDIR: where this run's dev server writes the simulated emails (as a developer's would, under /tmp).
    const res = inFreshShell(script, { errexit: true, env: { TMPDIR: emailTmpdir(state) } })
    const out = res.stdout
    assert.equal(res.status, 0, `run ${run}: ${res.stderr}`)
    const expected = [
      /"message":"User registered successfully".*"emailVerified":false/,
      /\{"message":"Email verified successfully"\}/,
      /"emailVerified":true/,
      /\{"status":409,"message":"Email already verified","code":"EMAIL_ALREADY_VERIFIED"\}/,
      /\{"message":"If an account exists for this email, a reset link has been sent"\}/,
      /\{"message":"Password has been reset"\}/,
      /\{"user":null\}/,
      /"message":"Login successful"/,
      /"fullName":\{"firstName":"Ada","lastName":"King"\}/,
      /\{"message":"Account deleted"\}/,
      /\{"user":null\}/,
    ]
    assertInOrder(out, expected, run)
  }
})
