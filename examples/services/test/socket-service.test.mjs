// The socket.io server's handshake check (`io.use(...)`): socket.io-client connects with the API's
// token; an expired, a foreign-signed and (strict) a logged-out token are refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { io as connect } from 'socket.io-client'
import { createSocketServer } from '../socket-service.mjs'
import { es256Api, listen, logout, register, resigned, serve, signingKey } from './api.mjs'

const KEY = signingKey()

/** The socket server, listening: its url, and `close` (which also closes the connected clients). */
async function socketServer(options) {
  const { http, io } = createSocketServer(options)
  const { url } = await listen(http)
  return { url, close: () => new Promise((resolve) => io.close(resolve)) }
}

const run = serve(es256Api(KEY), async (api) => ({
  relaxed: await socketServer({ apiUrl: api.baseUrl }),
  strict: await socketServer({ apiUrl: api.baseUrl, strict: true }),
}))

/** Connects with `auth: { token }`: `{ hello }` once the server greets, or `{ error }` when the handshake is refused. */
function handshake(mode, token) {
  const socket = connect(run[mode].url, { auth: { token }, transports: ['websocket'], reconnection: false, timeout: 10_000 })
  return new Promise((resolve) => {
    socket.once('hello', (hello) => resolve({ hello }))
    socket.once('connect_error', (e) => resolve({ error: e.message }))
  }).finally(() => socket.close())
}

describe('socket.io handshake (io.use) with the JWKS verifier', () => {
  it('connects with a token from register: the server knows the user', async () => {
    const { token, user } = await register(run.api.baseUrl)
    assert.deepEqual(await handshake('relaxed', token), { hello: { userId: user._id } })
  })

  it('refuses a connection without a token', async () => {
    assert.deepEqual(await handshake('relaxed', undefined), { error: 'Unauthorized' })
  })

  it('refuses an expired token', async () => {
    const { token } = await register(run.api.baseUrl)
    const now = Math.floor(Date.now() / 1000)
    assert.deepEqual(await handshake('relaxed', await resigned(token, KEY, { iat: now - 120, exp: now - 60 })), { error: 'Unauthorized' })
  })

  it('refuses a token signed with another key under the API key’s kid', async () => {
    const { token } = await register(run.api.baseUrl)
    assert.deepEqual(await handshake('relaxed', await resigned(token, signingKey(KEY.kid))), { error: 'Unauthorized' })
  })

  it('strict: connects with a valid token, and refuses it once logged out', async () => {
    const { token, user } = await register(run.api.baseUrl)
    assert.deepEqual(await handshake('strict', token), { hello: { userId: user._id } })
    await logout(run.api.baseUrl, token)
    assert.deepEqual(await handshake('strict', token), { error: 'Unauthorized' })
  })

  it('not strict: a logged-out token still connects until it expires (the documented trade-off)', async () => {
    const { token } = await register(run.api.baseUrl)
    await logout(run.api.baseUrl, token)
    assert.ok((await handshake('relaxed', token)).hello)
  })
})
