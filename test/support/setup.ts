import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, vi } from 'vitest'

// Runs before every test file; applyD1Migrations only applies what is missing.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)

/** Every table but the migrations' own bookkeeping, emptied in one transaction. */
async function emptyD1(db: D1Database) {
  const { results } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'")
    .all<{ name: string }>()
  if (results.length === 0) return
  // Deferred, foreign keys are checked at the end, when every table is empty.
  await db.batch([db.prepare('PRAGMA defer_foreign_keys = ON'), ...results.map(({ name }) => db.prepare(`DELETE FROM "${name}"`))])
}

async function emptyKv(kv: KVNamespace) {
  for (let cursor: string | undefined; ; ) {
    const page = await kv.list({ cursor })
    await Promise.all(page.keys.map((k) => kv.delete(k.name)))
    if (page.list_complete) return
    cursor = page.cursor
  }
}

// The test files share one runtime (isolate: false in vitest.config.ts), so each one starts as if it
// had storage of its own: empty D1 tables and KV namespaces. What is not reset: the rate limiters'
// counts (keep keys unique: an email per test, a random client IP) and module state in src/.
beforeAll(async () => {
  const bindings = env as unknown as Record<string, unknown>
  for (const name of env.TEST_STORAGE.d1) await emptyD1(bindings[name] as D1Database)
  for (const name of env.TEST_STORAGE.kv) await emptyKv(bindings[name] as KVNamespace)
})

// Nothing a file stubs outlives it.
afterAll(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})
