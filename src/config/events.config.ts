import { decodeBase64 } from 'hono/utils/encode'
import * as z from 'zod'
import { DIALECT_NAMES } from './app.config'
import { settings } from './settings'

/** More receivers than this is a typo or a job for a fan-out service: each event is one message per URL. */
const MAX_WEBHOOK_URLS = 10

/** Standard Webhooks: `whsec_` and the base64 of a random key (24 to 64 bytes; `npm run dev` writes 32). */
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/

/** The key bytes of a `whsec_` secret, or undefined when it is not one. */
export function webhookKey(secret: string | undefined): Uint8Array | undefined {
  const base64 = secret && SECRET.exec(secret)?.[1]
  if (!base64 || base64.length % 4 !== 0) return undefined
  const bytes = decodeBase64(base64)
  return bytes.length >= 24 && bytes.length <= 64 ? bytes : undefined
}

const configSchema = z
  .object({
    /** The receivers, comma-separated; empty = no event is queued (and nothing below is needed). */
    WEBHOOK_URL: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((url) => url.trim()).filter(Boolean))
      .pipe(
        z
          .array(z.url({ protocol: /^https?$/, error: 'WEBHOOK_URL must be http(s) URLs, separated by commas' }))
          .max(MAX_WEBHOOK_URLS, `WEBHOOK_URL may list at most ${MAX_WEBHOOK_URLS} URLs`),
      ),
    WEBHOOK_DIALECT: z
      .enum(DIALECT_NAMES, { error: `WEBHOOK_DIALECT must be one of ${DIALECT_NAMES.join(', ')}` })
      .default('standard'),
    WEBHOOK_SECRET: z.string().optional(),
    EVENTS: z.unknown(),
  })
  .superRefine((c, ctx) => {
    if (c.WEBHOOK_URL.length === 0) return
    const queue = c.EVENTS as Partial<Env['EVENTS']> | undefined
    if (typeof queue?.sendBatch !== 'function') {
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTS'],
        message: 'WEBHOOK_URL is set but the EVENTS queue binding is missing (declare [[queues.producers]] in wrangler.toml, in the top level and in every [env.*] section)',
      })
    }
    if (!webhookKey(c.WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message: 'WEBHOOK_URL is set but WEBHOOK_SECRET is not `whsec_` + the base64 of 24 to 64 random bytes (`wrangler secret put WEBHOOK_SECRET`)',
      })
    }
  })
  .transform((c) => ({
    urls: c.WEBHOOK_URL,
    dialect: c.WEBHOOK_DIALECT,
    secret: c.WEBHOOK_SECRET ?? '',
    queue: c.EVENTS as Env['EVENTS'] | undefined,
  }))

export type EventsConfig = z.output<typeof configSchema>

const eventsSettings = settings(configSchema)

/** What is wrong with the event settings, or undefined when they are valid (for /health: never throws). */
export const eventsConfigProblem = eventsSettings.problem

/**
 * The user-event settings. With WEBHOOK_URL set, a missing EVENTS binding or a secret that is not
 * `whsec_…` fails closed like every configuration error (500, the log naming the setting), before
 * the route writes anything: an event is never silently dropped for a bad configuration.
 */
export const getEventsConfig = eventsSettings.get
