import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { createDb } from './db/client'
import { docs } from './docs/docs.routes'
import type { AppEnv } from './env'
import { notFound, onError } from './errors'
import { health } from './health/health.routes'
import { users } from './users/users.routes'

export const app = new Hono<AppEnv>()
  .use(secureHeaders())
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
