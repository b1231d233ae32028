// What the users table costs and holds: the lookups use its indexes, a request does the least I/O it
// can (one D1 read and one KV read, concurrently, to authenticate), and email_verified defaults to false.
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { createDb } from '../../src/db/client'
import { byEmail, byId, findById } from '../../src/db/users.repository'
import { bearer, callWith, cookie, jsonInit } from '../support/request'
import { PASSWORD, registered } from '../support/users'

const db = createDb(env.DB)

/** SQLite's plan for the exact SQL drizzle sends for a lookup. */
async function plan(query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql, params } = query.toSQL()
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>()
  return results.map((r) => r.detail).join('\n')
}

describe('query plans', () => {
  it('the email lookup (login, register, change password) searches the UNIQUE email index', async () => {
    const detail = await plan(byEmail(db, 'someone@example.com'))
    expect(detail).toMatch(/SEARCH users USING (COVERING )?INDEX users_email_unique \(email=\?\)/)
    expect(detail).not.toMatch(/\bSCAN\b/)
  })

  it('the id lookup (every authenticated request) searches the primary key index', async () => {
    const detail = await plan(byId(db, crypto.randomUUID()))
    expect(detail).toMatch(/SEARCH users USING (COVERING )?INDEX sqlite_autoindex_users_1 \(id=\?\)|USING PRIMARY KEY/)
    expect(detail).not.toMatch(/\bSCAN\b/)
  })
})

type Event = { io: string; phase: 'start' | 'end' }

/** Real local D1 and KV, with every I/O call recorded in order (start and end). */
function recordingBindings() {
  const events: Event[] = []
  const timed = async <T>(io: string, run: () => Promise<T>) => {
    events.push({ io, phase: 'start' })
    try {
      return await run()
    } finally {
      events.push({ io, phase: 'end' })
    }
  }
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    ({
      bind: (...args: unknown[]) => statement(stmt.bind(...args), sql),
      first: (col?: string) => timed(`d1 ${sql.split(' ')[0]}`, () => stmt.first(col as string)),
      all: () => timed(`d1 ${sql.split(' ')[0]}`, () => stmt.all()),
      raw: (o?: { columnNames?: false }) => timed(`d1 ${sql.split(' ')[0]}`, () => stmt.raw(o)),
      run: () => timed(`d1 ${sql.split(' ')[0]}`, () => stmt.run()),
    }) as unknown as D1PreparedStatement
  const DB = {
    prepare: (sql: string) => statement(env.DB.prepare(sql), sql),
    batch: (s: D1PreparedStatement[]) => timed('d1 batch', () => env.DB.batch(s)),
  } as unknown as D1Database
  const kv = env.BLACKLIST
  const BLACKLIST = {
    get: (k: string) => timed('kv get', () => kv.get(k)),
    put: (k: string, v: string, o?: KVNamespacePutOptions) => timed('kv put', () => kv.put(k, v, o)),
  } as unknown as KVNamespace
  const started = () => events.filter((e) => e.phase === 'start').map((e) => e.io)
  return { bindings: { DB, BLACKLIST }, events, started }
}

afterEach(() => vi.restoreAllMocks())

describe('the hot path', () => {
  it.each([
    ['Bearer', bearer],
    ['cookie', cookie],
  ])('an authenticated request (%s) does one D1 read and one KV read, concurrently, and no other I/O', async (_, auth) => {
    const { token } = await registered()
    const rec = recordingBindings()
    const res = await callWith(rec.bindings, '/users/profile', { headers: auth(token) })
    expect(res.status).toBe(200)
    expect(rec.started().sort()).toEqual(['d1 select', 'kv get'])
    // Both were issued before either answered: one round trip, not two in a row.
    expect(rec.events.slice(0, 2).map((e) => e.phase)).toEqual(['start', 'start'])
  })

  it('login does one D1 read and one bcrypt comparison, and no KV access', async () => {
    const { email } = await registered()
    const verify = vi.spyOn(passwords, 'verify')
    const rec = recordingBindings()
    const res = await callWith(rec.bindings, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(res.status).toBe(200)
    expect(rec.started()).toEqual(['d1 select'])
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('GET /health does one D1 read (which proves the users table) and one KV read, concurrently, and no write', async () => {
    const rec = recordingBindings()
    const res = await callWith(rec.bindings, '/health')
    expect(res.status).toBe(200)
    expect(rec.started().sort()).toEqual(['d1 SELECT', 'kv get'])
    expect(rec.events.slice(0, 2).map((e) => e.phase)).toEqual(['start', 'start'])
  })

  it('logout adds exactly the KV write of the revocation', async () => {
    const { token } = await registered()
    const rec = recordingBindings()
    const res = await callWith(rec.bindings, '/users/logout', { method: 'POST', headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(rec.started().sort()).toEqual(['d1 select', 'kv get', 'kv put'])
  })
})

describe('the email_verified column', () => {
  it('defaults to false for a row inserted without it (existing rows, an import), shown as emailVerified: false', async () => {
    const id = crypto.randomUUID()
    const now = new Date().toISOString()
    await env.DB.prepare(
      'INSERT INTO users (id, first_name, last_name, email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(id, 'Imported', null, `imported-${id}@example.com`, '$2b$04$abcdefghijklmnopqrstuv', now, now)
      .run()
    const row = await findById(createDb(env.DB), id)
    expect(row?.emailVerified).toBe(false)
    expect(await env.DB.prepare('SELECT email_verified FROM users WHERE id = ?').bind(id).first('email_verified')).toBe(0)
  })
})
