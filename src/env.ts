import { z } from 'zod'
import type { Db } from './db/client'
import type { UserRow } from './db/schema'
import type { TokenClaims } from './auth/tokens'
import { ApiError } from './errors'

/** `Env` comes from `wrangler types`; the secret is declared here because it lives in .dev.vars / secrets. */
export type Bindings = Env & { JWT_SECRET?: string }

export type AppEnv = {
  Bindings: Bindings
  Variables: { db: Db; user: UserRow; claims: TokenClaims }
}

const utf8 = new TextEncoder()

const configSchema = z.object({
  JWT_SECRET: z
    .string({ error: 'JWT_SECRET is not set (run `npm run dev` locally, or `wrangler secret put JWT_SECRET`)' })
    .refine((s) => utf8.encode(s).length >= 32, 'JWT_SECRET must be at least 32 bytes long'),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
  BCRYPT_COST: z.coerce.number().int().min(4).max(14).default(10),
})

export type Config = z.output<typeof configSchema>

// Parsed once per isolate (per bindings object), not per request.
const cache = new WeakMap<object, Config | string>()

/**
 * The validated configuration. A missing or weak secret fails closed: every request that needs
 * the config gets a 500, and the log says exactly which setting is wrong.
 */
export function getConfig(env: Bindings): Config {
  let config = cache.get(env)
  if (!config) {
    const parsed = configSchema.safeParse(env)
    config = parsed.success
      ? parsed.data
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    cache.set(env, config)
  }
  if (typeof config === 'string') {
    console.error(`Invalid configuration: ${config}`)
    throw new ApiError(500, 'Internal server error')
  }
  return config
}
