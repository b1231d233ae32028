// What every service test shares: the API running in `wrangler dev` (e2e/server.mjs: fresh local
// state, its own port, the variables a test gives), and the few calls the tests make to it.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import { SignJWT, decodeJwt, importJWK } from 'jose'
import { startWorker } from '../../../e2e/server.mjs'

/**
 * A test file's setup: the API in `wrangler dev` with these variables (and a random JWT_SECRET unless
 * given) as `run.api` (`{ baseUrl, vars }`), then the services `services(api)` returns (each with its
 * `url` and `close`) as `run.<name>`; all stopped after the file. One `before` hook for all of it:
 * node 20 runs a file's top-level hooks concurrently, so a second hook could not wait for the API.
 */
export function serve(vars, services) {
  const run = {}
  let worker
  before(async () => {
    worker = await startWorker({ vars })
    run.api = worker
    Object.assign(run, await services(worker))
  })
  after(async () => {
    for (const [name, service] of Object.entries(run)) if (name !== 'api') await service.close()
    await worker?.stop()
  })
  return run
}

/** The variables of an API that signs ES256 with `key` and makes ObjectIds. */
export const es256Api = (key) => ({ JWT_SIGNING_KEY: JSON.stringify(key), USER_ID_FORMAT: 'objectid' })

/** A new EC P-256 private JWK with a kid, as JWT_SIGNING_KEY holds it: made by `npm run signing-key`. */
export function signingKey(kid = `key-${randomBytes(4).toString('hex')}`) {
  const script = fileURLToPath(new URL('../../../scripts/signing-key.mjs', import.meta.url))
  const made = spawnSync(process.execPath, [script, '--kid', kid], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`signing-key failed: ${made.stderr}`)
  return JSON.parse(made.stdout)
}

let n = 0
/** Registers a new user: `{ token, user }` as the API answered them. */
export async function register(baseUrl) {
  const email = `service-${process.pid}-${Date.now()}-${n++}@example.com`
  const res = await fetch(`${baseUrl}/users/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fullName: 'Ride Taker', email, password: 's3cret-pass' }),
  })
  const body = await res.json()
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(body)}`)
  return { token: body.token, user: body.user }
}

/** Logs the token out (POST /users/logout): the API refuses it from then on. */
export async function logout(baseUrl, token) {
  const res = await fetch(`${baseUrl}/users/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
  if (res.status !== 200) throw new Error(`logout answered ${res.status}`)
}

/** Serves an http.Server (or an Express app) on a free port of 127.0.0.1: its base URL, and `close`. */
export async function listen(handler) {
  const server = handler.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }
}

/** GET `path` of a service with the token as a Bearer header: `{ status, body }`. */
export async function getWith(url, token) {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  return { status: res.status, body: await res.json() }
}

/** The claims of `token`, changed by `claims`, signed ES256 with `jwk` under its kid (an expired or a forged token). */
export async function resigned(token, jwk, claims = {}) {
  return new SignJWT({ ...decodeJwt(token), ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: jwk.kid })
    .sign(await importJWK(jwk, 'ES256'))
}
