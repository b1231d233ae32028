// The app's socket.io server, accepting a connection only with a valid token of the API: the client
// connects with `io(url, { auth: { token } })` (or an `Authorization: Bearer` header, outside browsers).
// docs/migrating.md: "The rest of your app".
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { jwksVerifier } from './lib/jwks-verifier.mjs'

/**
 * The handshake check for `io.use(...)`: `verify(token)` resolves to the token's claims (a JWKS
 * verifier, strict or not, or any function of the same shape). The user's id is on `socket.data.userId`.
 */
export const authenticateSocket = (verify) => async (socket, next) => {
  const header = socket.handshake.headers.authorization
  const token = socket.handshake.auth?.token ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined)
  if (!token) return next(new Error('Unauthorized'))
  try {
    const claims = await verify(token)
    socket.data.userId = claims._id ?? claims.sub
    return next()
  } catch {
    return next(new Error('Unauthorized'))
  }
}

/** The server: a connected client gets `hello` with its user id. `options` as for jwksVerifier. */
export function createSocketServer(options) {
  const http = createServer()
  const io = new Server(http)
  io.use(authenticateSocket(jwksVerifier(options)))
  io.on('connection', (socket) => socket.emit('hello', { userId: socket.data.userId }))
  return { http, io }
}
