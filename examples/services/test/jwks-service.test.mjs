// The JWKS service: `jose` verifies the API's ES256 tokens with GET /.well-known/jwks.json (no
// secret); strict, it also asks GET /users/session, and so sees a logout at once.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { describe, it } from 'node:test'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import { createApp } from '../jwks-service.mjs'
import { es256Api, getWith, listen, logout, register, resigned, serve, signingKey } from './api.mjs'

const KEY = signingKey()

const run = serve(es256Api(KEY), async (api) => ({
  relaxed: await listen(createApp({ apiUrl: api.baseUrl })),
  strict: await listen(createApp({ apiUrl: api.baseUrl, strict: true })),
}))

const rides = (mode, token) => getWith(`${run[mode].url}/rides/mine`, token)
const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' } }

describe('JWT_SIGNING_KEY: ES256 tokens and the public keys', () => {
  it('GET /.well-known/jwks.json verifies a token from register with jose, and serves no private field', async () => {
    const { token, user } = await register(run.api.baseUrl)
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', typ: 'JWT', kid: KEY.kid })
    const res = await fetch(`${run.api.baseUrl}/.well-known/jwks.json`)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300')
    const set = await res.json()
    assert.doesNotMatch(JSON.stringify(set), /"d"/)
    assert.ok(!JSON.stringify(set).includes(KEY.d))
    const { payload } = await jwtVerify(token, createLocalJWKSet(set), { algorithms: ['ES256'], issuer: 'users-auth-api', audience: 'users-auth-api' })
    assert.equal(payload._id, user._id)
    assert.equal(payload.sub, user._id)
  })
})

describe('the JWKS service (jose, createRemoteJWKSet)', () => {
  for (const mode of ['relaxed', 'strict']) {
    it(`GET /rides/mine (${mode}) answers 200 for a token from register`, async () => {
      const { token, user } = await register(run.api.baseUrl)
      const res = await rides(mode, token)
      assert.equal(res.status, 200)
      assert.equal(res.body.user._id, user._id)
    })
  }

  it('GET /rides/mine refuses (401) an expired token signed with the API key', async () => {
    const { token } = await register(run.api.baseUrl)
    const now = Math.floor(Date.now() / 1000)
    const expired = await resigned(token, KEY, { iat: now - 120, exp: now - 60 })
    assert.deepEqual(await rides('relaxed', expired), UNAUTHORIZED)
  })

  it('GET /rides/mine refuses (401) a token signed with another key under the API key’s kid', async () => {
    const { token } = await register(run.api.baseUrl)
    assert.deepEqual(await rides('relaxed', await resigned(token, signingKey(KEY.kid))), UNAUTHORIZED)
  })

  it('GET /rides/mine refuses (401) an HS256 token, whatever secret signed it', async () => {
    const { token } = await register(run.api.baseUrl)
    const hs256 = jwt.sign(decodeJwt(token), randomBytes(32).toString('base64url'), { keyid: KEY.kid })
    assert.deepEqual(await rides('relaxed', hs256), UNAUTHORIZED)
  })

  it('GET /rides/mine (not strict) still accepts a logged-out token until it expires: the documented trade-off', async () => {
    const { token } = await register(run.api.baseUrl)
    await logout(run.api.baseUrl, token)
    assert.equal((await rides('relaxed', token)).status, 200)
  })
})

describe('the JWKS service, strict (GET /users/session)', () => {
  it('GET /rides/mine refuses (401) a logged-out token at once', async () => {
    const { token } = await register(run.api.baseUrl)
    assert.equal((await rides('strict', token)).status, 200)
    await logout(run.api.baseUrl, token)
    assert.deepEqual(await rides('strict', token), UNAUTHORIZED)
  })

  it('GET /rides/mine refuses (401) an expired token and a foreign-signed one', async () => {
    const { token } = await register(run.api.baseUrl)
    const now = Math.floor(Date.now() / 1000)
    assert.deepEqual(await rides('strict', await resigned(token, KEY, { iat: now - 120, exp: now - 60 })), UNAUTHORIZED)
    assert.deepEqual(await rides('strict', await resigned(token, signingKey(KEY.kid))), UNAUTHORIZED)
  })

  it('GET /rides/mine answers 503 when GET /users/session fails (it never guesses)', async () => {
    const { token } = await register(run.api.baseUrl)
    // An API whose keys answer and whose session check does not (an outage of D1 or KV, say).
    const failing = await listen(
      createServer(async (req, res) => {
        if (req.url !== '/.well-known/jwks.json') return res.writeHead(503).end('{}')
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(await (await fetch(`${run.api.baseUrl}${req.url}`)).text())
      }),
    )
    const down = await listen(createApp({ apiUrl: failing.url, strict: true }))
    try {
      assert.deepEqual(await getWith(`${down.url}/rides/mine`, token), { status: 503, body: { message: 'Service unavailable' } })
    } finally {
      await Promise.all([down.close(), failing.close()])
    }
  })
})
