import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createDb } from '../src/db/client'
import { byEmail, byId } from '../src/db/users.repository'

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
