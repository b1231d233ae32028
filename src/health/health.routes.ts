import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'

/** Liveness that includes the database: one trivial D1 query. */
export const health = new Hono<AppEnv>().get('/health', async (c) => {
  try {
    await c.env.DB.prepare('SELECT 1').first()
  } catch (e) {
    console.error('Health check: D1 query failed', e)
    throw ApiError.databaseUnavailable()
  }
  return c.json({ status: 'ok' as const }, 200)
})
