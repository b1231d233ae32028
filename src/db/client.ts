import { drizzle } from 'drizzle-orm/d1'
import * as schema from './schema'

export type Db = ReturnType<typeof drizzle<typeof schema>>

// One drizzle instance per D1 binding per isolate, not one per request.
const cache = new WeakMap<D1Database, Db>()

export function createDb(d1: D1Database): Db {
  let db = cache.get(d1)
  if (!db) {
    db = drizzle(d1, { schema })
    cache.set(d1, db)
  }
  return db
}

/** True when a D1 error (possibly wrapped by drizzle in `cause`) is a UNIQUE constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  for (let err = e; err instanceof Error; err = err.cause) {
    if (/UNIQUE constraint failed/i.test(err.message)) return true
  }
  return false
}
