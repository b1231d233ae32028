import * as z from 'zod'
import { settings } from './settings'

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

const accountSettings = settings(configSchema)

/** What is wrong with the account settings, or undefined when they are valid (for /health: never throws). */
export const accountConfigProblem = accountSettings.problem

/**
 * The account-lifecycle settings. Like getConfig, a bad value fails closed: the routes that need it
 * answer 500 and the log says which setting is wrong.
 */
export const getAccountConfig = accountSettings.get
