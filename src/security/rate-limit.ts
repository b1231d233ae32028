import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'

/** Must match the `period` of the [[ratelimits]] bindings in wrangler.toml. */
const PERIOD_SECONDS = 60

/**
 * Counts one attempt for `key`; over the limit it throws 429 with Retry-After. Call it before any
 * bcrypt work. If the limiter itself fails, the request goes on (logged): an outage of the
 * limiter must not lock every user out.
 */
export async function enforceLimit(limiter: RateLimit, key: string) {
  let success = true
  try {
    ;({ success } = await limiter.limit({ key }))
  } catch (e) {
    console.error('Rate limiter unavailable; request allowed', e)
  }
  if (!success) throw new ApiError(429, 'Too many requests', undefined, { 'Retry-After': String(PERIOD_SECONDS) })
}

/**
 * Limits credential routes per client IP. Cloudflare sets CF-Connecting-IP on every request from
 * the internet; without it (local tools, service bindings) only the per-email limits apply.
 */
export const limitByIp = createMiddleware<AppEnv>(async (c, next) => {
  const ip = c.req.header('CF-Connecting-IP')
  if (ip) await enforceLimit(c.env.IP_LIMITER, ip)
  await next()
})
