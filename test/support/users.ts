// Test users: unique emails (storage is shared by every test of a file), a registered account, and
// the rows behind them.
import { env } from 'cloudflare:workers'
import { decode } from 'hono/jwt'
import { type Json, send } from './request'

export const uniqueEmail = (tag = 'user') => `${tag}-${crypto.randomUUID()}@example.com`

export const PASSWORD = 'correct horse battery'

export async function registered(prefix: string = '/users', overrides: Json = {}) {
  const email = uniqueEmail()
  const body = { fullName: { firstName: 'John', lastName: 'Doe' }, email, password: PASSWORD, ...overrides }
  const res = await send('POST', `${prefix}/register`, body)
  const json = (await res.json()) as Json
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(json)}`)
  return { res, json, email: body.email as string, password: body.password as string, token: json.token as string }
}

export const claimsOf = (token: string) => decode(token).payload as Json

export const userRow = (id: string) => env.DB.prepare('SELECT * FROM users WHERE id = ?').bind(id).first<Json>()
export const userCount = (email: string) =>
  env.DB.prepare('SELECT COUNT(*) AS n FROM users WHERE email = ?').bind(email).first<number>('n')

/** Field paths named in a validation error body. */
export const paths = (json: Json) => (json.errors as { path: string }[]).map((e) => e.path)
