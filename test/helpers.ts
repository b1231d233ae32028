import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { decode } from 'hono/jwt'
import { COOKIE_NAME } from '../src/auth/cookie'
import worker from '../src/index'

export const PREFIXES = ['/users', '/api/users'] as const
export const BASE = 'https://api.example.test'

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

export const call = (path: string, init?: RequestInit, bindings?: object) =>
  fetchWorker(new Request(BASE + path, init), bindings)

export const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

export const uniqueEmail = (tag = 'user') => `${tag}-${crypto.randomUUID()}@example.com`

export const PASSWORD = 'correct horse battery'

export type Json = Record<string, any>

export async function registered(prefix: string = '/users', overrides: Json = {}) {
  const email = uniqueEmail()
  const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: PASSWORD, ...overrides }
  const res = await send('POST', `${prefix}/register`, body)
  const json = (await res.json()) as Json
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(json)}`)
  return { res, json, email: body.email as string, password: body.password as string, token: json.token as string }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
/** The session cookie as a browser sends it back (its name is defined once, in src/auth/cookie.ts). */
export const cookie = (token: string) => ({ Cookie: `${COOKIE_NAME}=${token}` })

export const claimsOf = (token: string) => decode(token).payload as Json

export const userRow = (id: string) => env.DB.prepare('SELECT * FROM users WHERE id = ?').bind(id).first<Json>()
export const userCount = (email: string) =>
  env.DB.prepare('SELECT COUNT(*) AS n FROM users WHERE email = ?').bind(email).first<number>('n')

/** Field paths named in a validation error body. */
export const paths = (json: Json) => (json.errors as { path: string }[]).map((e) => e.path)

/** Calls the Worker with some bindings replaced (a short secret, a failing KV, ...). */
export const callWith = (overrides: Partial<Record<keyof Env | 'ENVIRONMENT', unknown>>, path: string, init?: RequestInit) =>
  call(path, init, { ...env, ...overrides })

export const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
