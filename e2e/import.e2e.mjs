// `npm run import-users` for real: the CLI, through wrangler, into the local D1 of the running
// `wrangler dev` (its --persist-to directory), then the imported users log in over HTTP.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { sharedRun } from './harness.mjs'

const root = path.resolve(import.meta.dirname, '..')
const { baseUrl, state: persistTo } = sharedRun({ browser: false })
const EXPORT = 'test/fixtures/users-export.ndjson'

/** Runs `npm run import-users -- ...args` and resolves to its exit code and output. */
function importUsers(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'import-users', '--', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const post = (baseUrl, route, body) =>
  fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

const claims = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
const count = (stdout, label) => Number(new RegExp(`^  ${label}\\s+(\\d+)$`, 'm').exec(stdout)?.[1])

test('npm run import-users into the running wrangler dev: counts, rejects file, login over HTTP, re-run is a no-op', async () => {
  // An account that exists before the import, holding the email of the fixture's line 16.
  const owner = await post(baseUrl, '/users/register', {
    fullName: 'Taken Owner',
    email: 'taken@example.com',
    password: 'owner-password-1',
  })
  assert.equal(owner.status, 201)
  const ownerId = (await owner.json()).user._id

  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-import-'))
  try {
    const rejects = path.join(dir, 'rejects.ndjson')
    const args = [EXPORT, '--persist-to', persistTo, '--rejects', rejects, '--strict']
    const first = await importUsers(args)
    assert.equal(first.code, 2, `--strict exits 2 when something is rejected\n${first.stdout}${first.stderr}`)
    assert.deepEqual(
      ['input records', 'imported', 'already present', 'rejected'].map((l) => count(first.stdout, l)),
      [22, 7, 0, 15],
      first.stdout,
    )
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').map(JSON.parse)
    assert.equal(lines.length, 15)
    assert.deepEqual(
      lines.map((r) => r.line),
      [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22],
    )
    for (const r of lines) assert.ok(r.code && r.reason, JSON.stringify(r))
    assert.equal(lines.find((r) => r.line === 16).code, 'email-taken')

    // Imported users log in with their old passwords ($2b$ from the bcrypt package, $2y$ from PHP).
    for (const [email, password, id] of [
      ['ada.lovelace@example.com', 'analytical-engine', '65f1a2b3c4d5e6f7a8b90001'],
      ['rasmus@example.com', 'rasmuslerdorf', '65f1a2b3c4d5e6f7a8b90003'],
    ]) {
      const res = await post(baseUrl, '/users/login', { email, password })
      assert.equal(res.status, 200, email)
      const body = await res.json()
      assert.equal(body.user._id, id)
      assert.equal(claims(body.token).sub, id)
      const profile = await fetch(`${baseUrl}/users/profile`, { headers: { Authorization: `Bearer ${body.token}` } })
      assert.equal((await profile.json()).user._id, id)
    }
    // The account that held line 16's email is untouched.
    const kept = await post(baseUrl, '/users/login', { email: 'taken@example.com', password: 'owner-password-1' })
    assert.equal((await kept.json()).user._id, ownerId)

    const again = await importUsers(args)
    assert.equal(again.code, 2, again.stdout + again.stderr)
    assert.deepEqual(
      ['input records', 'imported', 'already present', 'rejected'].map((l) => count(again.stdout, l)),
      [22, 0, 7, 15],
      again.stdout,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
