// Issue 22, item 5: `npm run import-users` through the real `wrangler d1 execute --local --file`,
// which splits the SQL it is given into statements and drops what looks like a transaction, even
// inside a quoted string: names holding `BEGIN TRANSACTION;`, `COMMIT;`, `END;` and quotes must be
// stored exactly as exported, and a second run must find them present instead of aborting.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, it } from 'node:test'
import { wranglerBin, wranglerEnv } from '../../scripts/lib/wrangler-run.mjs'

const root = path.resolve(import.meta.dirname, '..', '..')
const tmp = mkdtempSync(path.join(tmpdir(), 'import-users-wrangler-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

/** "rasmuslerdorf" at cost 10 (PHP's password_hash example). */
const HASH = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'
const id = (n) => `65f1a2b3c4d5e6f7a8b9${String(n).padStart(4, '0')}`
const USERS = [
  { _id: { $oid: id(1) }, fullName: { firstName: 'Ann BEGIN TRANSACTION;', lastName: "O'Brien COMMIT;" }, email: 'ann@example.com' },
  { _id: { $oid: id(2) }, fullName: { firstName: 'END;', lastName: 'Say "END;" BEGIN TRANSACTION;' }, email: 'end@example.com' },
  { _id: { $oid: id(3) }, fullName: "Bob COMMIT; END; 'BEGIN TRANSACTION;'", email: 'bob@example.com' },
]
const STORED = [
  [id(1), 'Ann BEGIN TRANSACTION;', "O'Brien COMMIT;"],
  [id(2), 'END;', 'Say "END;" BEGIN TRANSACTION;'],
  [id(3), 'Bob', "COMMIT; END; 'BEGIN TRANSACTION;'"],
]

function importUsers(args) {
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/import-users.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, INIT_CWD: root },
    encoding: 'utf8',
  })
  return { code: res.status, out: res.stdout + res.stderr }
}

const count = (out, label) => Number(new RegExp(`^  ${label}\\s+(\\d+)$`, 'm').exec(out)?.[1])

it('npm run import-users stores names with BEGIN TRANSACTION, COMMIT;, END; and quotes unchanged, and a re-run finds them present', () => {
  const state = path.join(tmp, 'state')
  const file = path.join(tmp, 'users.json')
  writeFileSync(file, USERS.map((u) => JSON.stringify({ ...u, password: HASH })).join('\n') + '\n')

  const first = importUsers([file, '--persist-to', state, '--strict'])
  assert.equal(first.code, 0, first.out)
  assert.deepEqual(['input records', 'imported', 'already present', 'rejected'].map((l) => count(first.out, l)), [3, 3, 0, 0], first.out)

  const select = spawnSync(
    wranglerBin(),
    ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--json', '--command', 'SELECT id, first_name, last_name FROM users ORDER BY id'],
    { cwd: root, env: wranglerEnv(), encoding: 'utf8' },
  )
  assert.equal(select.status, 0, select.stdout + select.stderr)
  const rows = JSON.parse(select.stdout)[0].results.map((r) => [r.id, r.first_name, r.last_name])
  assert.deepEqual(rows, STORED)

  const again = importUsers([file, '--persist-to', state, '--strict'])
  assert.equal(again.code, 0, again.out)
  assert.deepEqual(['input records', 'imported', 'already present', 'rejected'].map((l) => count(again.out, l)), [3, 0, 3, 0], again.out)
  assert.doesNotMatch(again.out, /present but different/)
})
