// The one request builder of the workerd tests: every request a test makes is built here, whatever
// bindings it runs with (the real ones, some replaced, or a recording mailbox).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { COOKIE_NAME } from '../../src/auth/cookie'
import worker from '../../src/index'
import type { Bindings } from '../../src/types'

export const PREFIXES = ['/users', '/api/users'] as const
export const BASE = 'https://api.example.test'

export type Json = Record<string, any>
type HeaderMap = Record<string, string>

/**
 * Calls the Worker's fetch handler inside workerd with the real bindings (local D1, KV, rate
 * limiters), as the runtime does. (Going through `exports.default.fetch` / SELF instead gets slower
 * with every request made in a file, quadratically: thousands of fuzz requests would take minutes.)
 */
export async function fetchWorker(request: Request, bindings: object = env) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(request, bindings as Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** A request with a JSON body (none when `body` is undefined), declared as JSON either way. */
export const jsonInit = (method: string, body?: unknown, headers: HeaderMap = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
})

/** `call(path, init)` and `send(method, path, body?, headers?)` against the Worker run with `bindings`. */
export function requester(bindings: object = env) {
  const call = (path: string, init?: RequestInit) => fetchWorker(new Request(BASE + path, init), bindings)
  const send = (method: string, path: string, body?: unknown, headers: HeaderMap = {}) => call(path, jsonInit(method, body, headers))
  return { call, send }
}

export const { call, send } = requester()

/** Calls the Worker with some bindings replaced (a short secret, a failing KV, ...). */
export const callWith = (overrides: Partial<Record<keyof Bindings, unknown>>, path: string, init?: RequestInit) =>
  requester({ ...env, ...overrides }).call(path, init)

/**
 * A client address no other test uses: the per-IP limit counts per address, and its counts outlive a
 * test file (storage is emptied between files, the rate limiters are not).
 */
export const uniqueIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.')}`

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
/** The session cookie as a browser sends it back (its name is defined once, in src/auth/cookie.ts). */
export const cookie = (token: string) => ({ Cookie: `${COOKIE_NAME}=${token}` })
