import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { secureHeaders } from 'hono/secure-headers'
import { createDb } from './db/client'
import { docs } from './docs/docs.routes'
import type { AppEnv } from './env'
import { ApiError, notFound, onError } from './errors'
import { health } from './health/health.routes'
import { requestLog } from './observability/request-log'
import { corsPolicy } from './security/cors'
import { users } from './users/users.routes'

/** No request this API serves needs more; larger bodies are refused before they are parsed. */
const MAX_BODY_BYTES = 16 * 1024

/** Tokens and user data must never sit in a shared or browser cache. */
const noStore = createMiddleware(async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
})

export const app = new Hono<AppEnv>()
  .use(requestLog)
  .use(secureHeaders())
  .use(corsPolicy)
  .use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'Request body too large (limit 16 KiB)')
      },
    }),
  )
  .use(noStore)
  .use(async (c, next) => {
    c.set('db', createDb(c.env.DB))
    await next()
  })
  .route('/', health)
  .route('/', docs)
  .route('/users', health)
  .route('/api/users', health)
  .route('/users', users)
  .route('/api/users', users)

app.onError(onError).notFound(notFound)

export type AppType = typeof app
