// The documentation's curl examples, run as written: every ```sh block with a curl in it, in
// README.md, CONTRIBUTING.md and docs/*.md, top to bottom in a fresh shell (no variables but PATH
// and HOME), twice (each can run again: the first empties the local database, the others register
// new addresses or delete what they made). Only the lines that name the server change: this run's.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { sharedRun } from './harness.mjs'

const { baseUrl, state } = sharedRun({ browser: false })

const root = path.resolve(import.meta.dirname, '..')

/** The files whose examples are run: README.md, CONTRIBUTING.md and every docs/*.md. */
const DOC_FILES = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]

/** Every ```sh block of `file` with a curl in it: { file, text }. */
function curlBlocks(file) {
  const text = readFileSync(path.join(root, file), 'utf8')
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => ({ file, text: m[1] })).filter((b) => /(^|[\s($])curl\s/m.test(b.text))
}

const ALL_BLOCKS = DOC_FILES.flatMap(curlBlocks)

/** The one curl block that starts with `marker` (its first line or lines), as written. */
function docBlock(marker, what) {
  const found = ALL_BLOCKS.filter((b) => b.text.startsWith(marker))
  assert.equal(found.length, 1, `${what}: one sh block starting with ${JSON.stringify(marker)} in ${DOC_FILES.join(', ')}`)
  return found[0].text
}

const FIRST = '# start from an empty local database'
const DIALECT = '# a mongoose-family client'
const LIFECYCLE = 'API=http://localhost:8787\nDEV_LOG=dev.log'

test('docs: every curl block is one of the examples run below', (t) => {
  const perFile = DOC_FILES.map((file) => [file, ALL_BLOCKS.filter((b) => b.file === file).length]).filter(([, n]) => n > 0)
  t.diagnostic(`${ALL_BLOCKS.length} curl blocks (${perFile.map(([file, n]) => `${file}: ${n}`).join(', ')})`)
  for (const block of ALL_BLOCKS) {
    const known = [FIRST, DIALECT, LIFECYCLE].filter((marker) => block.text.startsWith(marker))
    assert.equal(known.length, 1, `${block.file}: a curl block that no test runs; give it one in e2e/readme.e2e.mjs:\n${block.text}`)
  }
})

/** Runs `script` in a fresh shell: no variables but PATH, HOME and `env`; `-e` when `errexit`. */
function inFreshShell(script, { errexit = false, env = {}, timeout = 120_000 } = {}) {
  return spawnSync('bash', ['--norc', '--noprofile', ...(errexit ? ['-e'] : []), '-c', script], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout,
  })
}

/** Each of `steps` matches `out`, in this order, from position `at`: each step's answer, in the docs' order. */
function assertInOrder(out, steps, run, at = 0) {
  for (const step of steps) {
    const m = step.exec(out.slice(at))
    assert.ok(m, `run ${run}: expected ${step} after position ${at} in:\n${out}`)
    at += m.index + m[0].length
  }
}

/** The first curl examples (docs/api.md, Try it with curl), pointed at this run's server and state. */
function firstExamples(baseUrl, state) {
  const block = docBlock(FIRST, 'the first curl examples')
  assert.match(block, /^npm run db:reset$/m)
  assert.match(block, /^API=http:\/\/localhost:8787(\s+#.*)?$/m)
  return block.replace(/^npm run db:reset$/m, `npm run db:reset -- --persist-to '${state}'`).replace(/^API=.*$/m, `API=${baseUrl}`)
}

test('docs: the first curl examples run top to bottom in a fresh shell, and again', async () => {
  const script = firstExamples(baseUrl, state)
  for (const run of [1, 2]) {
    const res = inFreshShell(script)
    const out = res.stdout
    assert.equal(res.status, 0, `run ${run}: ${res.stderr}`)
    assert.match(out, /DB \(local\): (\w+: \d+ rows deleted, )*users: \d+ rows deleted/, `run ${run}: db:reset`)
    // Each step's answer, in the docs' order.
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

/** The dialect example (docs/migrating.md, step 1), pointed at this run's server. */
function dialectExample(baseUrl) {
  const block = docBlock(DIALECT, 'the dialect example')
  assert.match(block, /^API=http:\/\/localhost:8787\/compat\/mongoose$/m)
  return block.replace(/^API=.*$/m, `API=${baseUrl}/compat/mongoose`)
}

test('docs: the dialect example runs as written in a fresh shell, and again', async () => {
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

/**
 * The account-lifecycle examples (docs/api.md): pointed at this run's server and at the file its
 * output goes to, which the documented `last_email` helper reads, as written.
 */
function lifecycleExamples(baseUrl) {
  const block = docBlock(LIFECYCLE, 'the account-lifecycle curl examples')
  assert.match(block, /^DEV_LOG=dev\.log(\s+#.*)?$/m)
  assert.match(block, /^last_email\(\) \{ .*"\$DEV_LOG".* \}$/m, 'last_email reads the file of the server you started')
  return block.replace(/^API=.*$/m, `API=${baseUrl}`).replace(/^DEV_LOG=.*$/m, `DEV_LOG='${process.env.E2E_SERVER_OUTPUT}'`)
}

test('docs: the account-lifecycle curl examples run top to bottom in a fresh shell, and again', async () => {
  const script = lifecycleExamples(baseUrl)
  for (const run of [1, 2]) {
    const res = inFreshShell(script, { errexit: true })
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
