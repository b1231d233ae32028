// The socket.io server's handshake check (`io.use(...)`): socket.io-client connects with the API's
// token; an expired, a foreign-signed and (strict) a logged-out token are refused.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { io as connect } from 'socket.io-client'
import { createSocketServer } from '../socket-service.mjs'
import { listen, logout, register, resigned, signingKey, startApi } from './api.mjs'

const KEY = signingKey()

let api
let relaxed
let strict
before(async () => {
  api = await startApi({ JWT_SIGNING_KEY: JSON.stringify(KEY), USER_ID_FORMAT: 'objectid' })
  relaxed = createSocketServer({ apiUrl: api.baseUrl })
  strict = createSocketServer({ apiUrl: api.baseUrl, strict: true })
  relaxed.url = (await listen(relaxed.http)).url
  strict.url = (await listen(strict.http)).url
})
after(async () => {
  for (const s of [relaxed, strict]) await new Promise((r) => (s ? s.io.close(r) : r()))
  await api?.stop()
})

/** Connects with `auth: { token }`: `{ hello }` once the server greets, or `{ error }` when the handshake is refused. */
function handshake(server, token) {
  const socket = connect(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, timeout: 10_000 })
  return new Promise((resolve) => {
    socket.once('hello', (hello) => resolve({ hello }))
    socket.once('connect_error', (e) => resolve({ error: e.message }))
  }).finally(() => socket.close())
}

describe('socket.io handshake (io.use) with the JWKS verifier', () => {
  it('connects with a token from register: the server knows the user', async () => {
    const { token, user } = await register(api.baseUrl)
    assert.deepEqual(await handshake(relaxed, token), { hello: { userId: user._id } })
  })

  it('refuses a connection without a token', async () => {
    assert.deepEqual(await handshake(relaxed, undefined), { error: 'Unauthorized' })
  })

  it('refuses an expired token', async () => {
    const { token } = await register(api.baseUrl)
    const now = Math.floor(Date.now() / 1000)
    assert.deepEqual(await handshake(relaxed, await resigned(token, KEY, { iat: now - 120, exp: now - 60 })), { error: 'Unauthorized' })
  })

  it('refuses a token signed with another key under the API key’s kid', async () => {
    const { token } = await register(api.baseUrl)
    assert.deepEqual(await handshake(relaxed, await resigned(token, signingKey(KEY.kid))), { error: 'Unauthorized' })
  })

  it('strict: connects with a valid token, and refuses it once logged out', async () => {
    const { token, user } = await register(api.baseUrl)
    assert.deepEqual(await handshake(strict, token), { hello: { userId: user._id } })
    await logout(api.baseUrl, token)
    assert.deepEqual(await handshake(strict, token), { error: 'Unauthorized' })
  })

  it('not strict: a logged-out token still connects until it expires (the documented trade-off)', async () => {
    const { token } = await register(api.baseUrl)
    await logout(api.baseUrl, token)
    assert.ok((await handshake(relaxed, token)).hello)
  })
})
