// `npm run signing-key` (scripts/signing-key.mjs): one line of JWK JSON, the value of JWT_SIGNING_KEY.
// (examples/services/ runs the API with keys it makes: wrangler dev accepts them.)
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import path from 'node:path'
import { it } from 'node:test'

const script = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'signing-key.mjs')
const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' })

it('prints one line: a private EC P-256 JWK for ES256 with a dated kid, that signs and verifies', () => {
  const res = run()
  assert.equal(res.status, 0, res.stderr)
  assert.equal(res.stdout.split('\n').length, 2) // one line and its newline
  const jwk = JSON.parse(res.stdout)
  assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'd', 'kid', 'kty', 'use', 'x', 'y'])
  assert.deepEqual([jwk.kty, jwk.crv, jwk.alg, jwk.use], ['EC', 'P-256', 'ES256', 'sig'])
  assert.match(jwk.kid, /^\d{4}-\d\d-\d\d-[0-9a-f]{6}$/)
  const signature = sign('sha256', Buffer.from('data'), createPrivateKey({ key: jwk, format: 'jwk' }))
  const { d: _, ...publicJwk } = jwk
  assert.ok(verify('sha256', Buffer.from('data'), createPublicKey({ key: publicJwk, format: 'jwk' }), signature))
})

it('takes the kid from --kid, and makes a new key each time', () => {
  const [a, b] = [JSON.parse(run('--kid', '2026-06').stdout), JSON.parse(run('--kid', '2026-06').stdout)]
  assert.equal(a.kid, '2026-06')
  assert.notEqual(a.d, b.d)
})

it('refuses an unknown option with exit code 2 and the usage, printing no key', () => {
  const res = run('--curve', 'P-384')
  assert.equal(res.status, 2)
  assert.equal(res.stdout, '')
  assert.match(res.stderr, /unknown option --curve .*usage: npm run --silent signing-key/)
})
