import type { DialectName } from './config/app.config'
import type { Db } from './db/client'
import type { UserRow } from './db/schema'

/** `Env` comes from `wrangler types`; the secrets are declared here because they live in .dev.vars / secrets. */
export type Bindings = Env & {
  JWT_SECRET?: string
  JWT_SECRET_PREVIOUS?: string
  JWT_SIGNING_KEY?: string
  JWT_SIGNING_KEY_PREVIOUS?: string
  LEGACY_JWT_SECRET?: string
  WEBHOOK_SECRET?: string
  ENVIRONMENT?: string
}

/** The Hono environment of every router. requireAuth adds `claims` to the routes behind it. */
export type AppEnv = {
  Bindings: Bindings
  Variables: { db: Db; user: UserRow; requestId: string; dialect: DialectName }
}
