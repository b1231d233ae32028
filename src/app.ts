import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { secureHeaders } from 'hono/secure-headers'
import { accountRouter } from './account/account.routes'
import { compatPath, presentDialect } from './compat/compat.middleware'
import { ApiError, notFound, onError } from './core/errors'
import { createDb } from './db/client'
import { docsRouter } from './docs/docs.routes'
import { healthRouter } from './health/health.routes'
import { allowedMethods } from './http/methods'
import { keysRouter } from './keys/keys.routes'
import { demoPage } from './oidc/demo-page'
import { oidcRouter } from './oidc/oidc.routes'
import { createRouter } from './http/router'
import { requestLog } from './observability/request-log'
import { corsPolicy } from './security/cors'
import { usersRouter } from './users/users.routes'

/** No request this API serves needs more; larger bodies are refused before they are parsed. */
const MAX_BODY_BYTES = 16 * 1024

/**
 * Tokens and user data must never sit in a shared or browser cache. The one route that sets its own
 * Cache-Control (the public keys, GET /.well-known/jwks.json) keeps it.
 */
const noStore = createMiddleware(async (c, next) => {
  await next()
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
})

// The app's own router: `docsRouter(root)` documents what it holds. `app` below is the same object,
// typed with every route (what the typed client reads).
// Every route is also served under /compat/<dialect> (src/compat/), rendered in that client dialect.
const root = createRouter({ getPath: compatPath })

export const app = root
  .use(requestLog)
  .use(demoPage)
  .use(presentDialect)
  .use(secureHeaders())
  .use(corsPolicy)
  .use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('BODY_TOO_LARGE')
      },
    }),
  )
  .use(noStore)
  .use(async (c, next) => {
    // Without the binding there is no db: every route that reads it calls getConfig first, which
    // answers 500 naming DB (a configuration error); routes that need no D1 keep working.
    if (c.env.DB) c.set('db', createDb(c.env.DB))
    await next()
  })
  .use(allowedMethods(root))
  .route('/', healthRouter)
  .route('/', docsRouter(root))
  .route('/', keysRouter)
  .route('/users', healthRouter)
  .route('/api/users', healthRouter)
  .route('/users', usersRouter)
  .route('/api/users', usersRouter)
  .route('/users', accountRouter)
  .route('/api/users', accountRouter)
  .route('/users', oidcRouter)
  .route('/api/users', oidcRouter)

app.onError(onError).notFound(notFound)

export type AppType = typeof app
