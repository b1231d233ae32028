// The README's curl examples, run as written: top to bottom in a fresh shell (no variables but PATH
// and HOME), twice (the first line empties the local database, so the second run works too).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from './harness.mjs'
import { emailTmpdir } from './server.mjs'

const root = path.resolve(import.meta.dirname, '..')

/** The README's sh block that starts with `npm run db:reset`, pointed at this run's server and state. */
function readmeExamples(baseUrl, state) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('```sh\n# start from an empty local database')
  assert.ok(start >= 0, 'the curl examples are in README.md')
  const block = readme.slice(start + 6, readme.indexOf('```\n', start + 6))
  assert.match(block, /^npm run db:reset$/m)
  assert.match(block, /^API=http:\/\/localhost:8787(\s+#.*)?$/m)
  return block.replace(/^npm run db:reset$/m, `npm run db:reset -- --persist-to '${state}'`).replace(/^API=.*$/m, `API=${baseUrl}`)
}

test('README: the curl examples run top to bottom in a fresh shell, and again', async ({ baseUrl, state }) => {
  const script = readmeExamples(baseUrl, state)
  for (const run of [1, 2]) {
    const res = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
      timeout: 120_000,
    })
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
      /\{"status":401,"message":"Unauthorized"\}/,
      /"success":true,"message":"Password updated successfully"/,
      /\{"status":"ok"\}/,
    ]
    let at = 0
    for (const step of expected) {
      const m = step.exec(out.slice(at))
      assert.ok(m, `run ${run}: expected ${step} after position ${at} in:\n${out}`)
      at += m.index + m[0].length
    }
  }
})

/** The README's dialect example (Switching from an Express backend, step 1), pointed at this run's server. */
function dialectExample(baseUrl) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('```sh\n# a 002/003 (mongoose) client')
  assert.ok(start >= 0, 'the dialect example is in README.md')
  const block = readme.slice(start + 6, readme.indexOf('```\n', start + 6))
  assert.match(block, /^API=http:\/\/localhost:8787\/compat\/mongoose$/m)
  return block.replace(/^API=.*$/m, `API=${baseUrl}/compat/mongoose`)
}

test('README: the dialect example runs as written in a fresh shell, and again', async ({ baseUrl }) => {
  const script = dialectExample(baseUrl)
  const emails = []
  for (const run of [1, 2]) {
    const res = spawnSync('bash', ['--norc', '--noprofile', '-e', '-c', script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
      timeout: 60_000,
    })
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
    let at = profile.index + profile[0].length
    for (const step of expected) {
      const m = step.exec(out.slice(at))
      assert.ok(m, `run ${run}: expected ${step} after position ${at} in:\n${out}`)
      at += m.index + m[0].length
    }
  }
  assert.notEqual(emails[0], emails[1], 'each run registers a new address')
})

/** The README's account-lifecycle sh block (it starts with `API=` and defines `last_email`), pointed at this run. */
function lifecycleExamples(baseUrl) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('```sh\nAPI=http://localhost:8787\nJAR="$(mktemp)"\n# the newest email')
  assert.ok(start >= 0, 'the account-lifecycle curl examples are in README.md')
  const block = readme.slice(start + 6, readme.indexOf('```\n', start + 6))
  return block.replace(/^API=.*$/m, `API=${baseUrl}`)
}

test('README: the account-lifecycle curl examples run top to bottom in a fresh shell, and again', async ({ baseUrl, state }) => {
  const script = lifecycleExamples(baseUrl)
  for (const run of [1, 2]) {
    // TMPDIR: where this run's dev server writes the simulated emails (as a developer's would, under /tmp).
    const res = spawnSync('bash', ['--norc', '--noprofile', '-e', '-c', script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: emailTmpdir(state) },
      encoding: 'utf8',
      timeout: 120_000,
    })
    const out = res.stdout
    assert.equal(res.status, 0, `run ${run}: ${res.stderr}`)
    const expected = [
      /"message":"User registered successfully".*"emailVerified":false/,
      /\{"message":"Email verified successfully"\}/,
      /"emailVerified":true/,
      /\{"status":409,"message":"Email already verified"\}/,
      /\{"message":"If an account exists for this email, a reset link has been sent"\}/,
      /\{"message":"Password has been reset"\}/,
      /\{"user":null\}/,
      /"message":"Login successful"/,
      /"fullName":\{"firstName":"Ada","lastName":"King"\}/,
      /\{"message":"Account deleted"\}/,
      /\{"user":null\}/,
    ]
    let at = 0
    for (const step of expected) {
      const m = step.exec(out.slice(at))
      assert.ok(m, `run ${run}: expected ${step} after position ${at} in:\n${out}`)
      at += m.index + m[0].length
    }
  }
})
