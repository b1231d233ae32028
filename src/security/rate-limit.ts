import { createMiddleware } from 'hono/factory'
import { getConfig } from '../config/app.config'
import { ApiError } from '../core/errors'
import type { AppEnv, Bindings } from '../types'
import { ipKey } from './ip-key'

/** Must match the `period` of the [[ratelimits]] bindings in wrangler.toml. */
const PERIOD_SECONDS = 60

/**
 * Counts one attempt for `key`; over the limit it throws 429 with Retry-After. Call it before any
 * bcrypt work. If the limiter itself fails, the request goes on (logged): an outage of the
 * limiter must not lock every user out. A limiter that is not bound at all is another matter: a
 * configuration error (getConfig: 500), never a silently disabled limit.
 */
export async function enforceLimit(limiter: RateLimit, key: string) {
  let success = true
  try {
    ;({ success } = await limiter.limit({ key }))
  } catch (e) {
    console.error('Rate limiter unavailable; request allowed', e)
  }
  if (!success) throw new ApiError('RATE_LIMITED', { headers: { 'Retry-After': String(PERIOD_SECONDS) } })
}

/**
 * Limits credential routes per client (CF-Connecting-IP: an IPv4 address, or an IPv6 /64, see
 * ipKey). Cloudflare sets that header on every request from the internet; without it (local
 * tools, service bindings) only the per-email budget applies.
 */
export const limitByIp = createMiddleware<AppEnv>(async (c, next) => {
  const { IP_LIMITER } = getConfig(c.env)
  const ip = c.req.header('CF-Connecting-IP')
  if (ip) await enforceLimit(IP_LIMITER, ipKey(ip))
  await next()
})

/**
 * Spends one attempt of an email's budget (EMAIL_LIMITER: 10 per 60 s), one budget shared by every
 * route that acts on an account named by its email: register, login, change password and account
 * deletion, and any later one that calls this too. So guesses at a
 * password cannot be spread over several routes, and registering an address repeatedly (409 after
 * 409) is limited like logging in to it. Keyed on the normalised email (trimmed, lowercased).
 * Call it before any bcrypt work. The flip side, stated in the README: anyone can keep one
 * address's login answering 429 by spending its budget.
 */
export async function limitByEmail(env: Bindings, email: string) {
  await enforceLimit(getConfig(env).EMAIL_LIMITER, email.trim().toLowerCase())
}
