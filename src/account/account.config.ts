import * as z from 'zod'
import type { Bindings } from '../env'
import { ApiError } from '../errors'

const configSchema = z.object({
  /** The sender of every email: an address on a domain onboarded to Cloudflare Email Service. */
  MAIL_FROM: z.email('MAIL_FROM must be an email address (an address on your onboarded sending domain)'),
  /** The front end's page the links open; empty = this Worker's own demo page. */
  APP_URL: z
    .string()
    .default('')
    .refine((s) => s === '' || /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(s), 'APP_URL must be an http(s) URL without a query or fragment, or empty'),
  REQUIRE_EMAIL_VERIFICATION: z
    .enum(['true', 'false'], { error: 'REQUIRE_EMAIL_VERIFICATION must be "true" or "false"' })
    .default('false')
    .transform((s) => s === 'true'),
})

export type AccountConfig = z.output<typeof configSchema>

const cache = new WeakMap<object, AccountConfig | string>()

/** The settings, or what is wrong with them (every problem, for the log). Parsed once per bindings object. */
function parsed(env: Bindings): AccountConfig | string {
  let config = cache.get(env)
  if (!config) {
    const result = configSchema.safeParse(env)
    config = result.success
      ? result.data
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    cache.set(env, config)
  }
  return config
}

/** What is wrong with the account settings, or undefined when they are valid (for /health: never throws). */
export function accountConfigProblem(env: Bindings): string | undefined {
  const config = parsed(env)
  return typeof config === 'string' ? config : undefined
}

/**
 * The account-lifecycle settings. Like getConfig, a bad value fails closed: the routes that need it
 * answer 500 and the log says which setting is wrong.
 */
export function getAccountConfig(env: Bindings): AccountConfig {
  const config = parsed(env)
  if (typeof config === 'string') {
    console.error(`Invalid configuration: ${config}`)
    throw new ApiError(500, 'Internal server error')
  }
  return config
}

/**
 * The page a link opens: APP_URL, or this Worker's own demo page when it is empty. The request's
 * origin is the host Cloudflare routed to this Worker (a route or workers.dev), not a header an
 * attacker chooses freely; set APP_URL in production anyway (production serves no demo page).
 */
export const appUrl = (config: AccountConfig, requestUrl: string) => config.APP_URL || `${new URL(requestUrl).origin}/`
