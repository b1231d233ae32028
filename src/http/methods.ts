import type { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { ApiError, errorResponse } from '../core/errors'

// A wrong method on a path that exists is a 405 with `Allow`, not a 404: hono's method-not-allowed
// reads the app's own routes, so a route added later (under any prefix) is covered as it is.

/** The order `Allow` lists methods in. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * Marks a GET route that changes state (logout). Hono answers HEAD by running the GET route, and
 * HEAD must never have a side effect: on HEAD this answers like a path without the method, 405
 * with the path's `Allow` (which lists GET but not HEAD).
 */
export const noHead = createMiddleware(async (c, next) => {
  if (c.req.method === 'HEAD') return c.notFound()
  await next()
})

/**
 * hono's method-not-allowed lists HEAD beside every GET and lets a HEAD through when the path has a
 * GET. A GET route behind noHead is shown to it under this name instead, so that HEAD is refused
 * there and left out of its `Allow`.
 */
const GET_WITHOUT_HEAD = 'GET (no HEAD)'

type AnyApp = Hono<any, any, any>

/** `app`'s routes as method-not-allowed should see them (read on its first 404, when every route is mounted). */
function methodTable(app: AnyApp): AnyApp {
  let routes: AnyApp['routes'] | undefined
  return {
    get routes() {
      if (!routes) {
        const noHeadPaths = new Set(app.routes.filter((r) => r.handler === noHead).map((r) => r.path))
        routes = app.routes.map((r) => (r.method === 'GET' && noHeadPaths.has(r.path) ? { ...r, method: GET_WITHOUT_HEAD } : r))
      }
      return routes
    },
  } as AnyApp
}

/**
 * A path that exists with other methods answers 405 METHOD_NOT_ALLOWED with `Allow` (a plain
 * OPTIONS, 204 with `Allow`: CORS preflights are answered on every path); any other path keeps the
 * JSON 404. Registered before the routes, so that noHead's 404 comes through it.
 */
export const allowedMethods = (app: AnyApp) =>
  methodNotAllowed({
    app: methodTable(app),
    onMethodNotAllowed: (c, methods) => {
      const allowed = new Set([...methods.map((m) => (m === GET_WITHOUT_HEAD ? 'GET' : m)), 'OPTIONS'])
      const Allow = ORDER.filter((m) => allowed.has(m)).join(', ')
      // A fresh response: the 404's Content-Type must not stay on an empty 204.
      if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { Allow } })
      return errorResponse(c, new ApiError('METHOD_NOT_ALLOWED', { headers: { Allow } }))
    },
  })
