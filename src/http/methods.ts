import type { Context, Hono, NotFoundHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { notFound } from '../core/errors'

// A wrong method on a path that exists is a 405 with `Allow`, not a 404: computed from the app's own
// routes, so a route added later (under /users, /api/users or /compat/<name>) is covered as it is.

/** The order `Allow` lists methods in. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

type AnyApp = Hono<any, any, any>
type Matched = [[unknown, { method: string }], unknown]

/**
 * Marks a GET route that changes state (logout). Hono answers HEAD by running the GET route, and
 * HEAD must never have a side effect: on HEAD this hands the request to the app's not-found
 * handler, which answers 405 with the path's `Allow` (which then lists GET but not HEAD).
 */
export const noHead = createMiddleware(async (c, next) => {
  if (c.req.method === 'HEAD') return c.notFound()
  await next()
})

const methodsOf = new WeakMap<AnyApp, string[]>()

/** The methods `path` is served with (HEAD with a GET that allows it, and OPTIONS), or [] for none. */
export function allowedMethods(app: AnyApp, path: string): string[] {
  let methods = methodsOf.get(app)
  if (!methods) {
    methods = [...new Set(app.routes.map((r) => r.method))].filter((m) => m !== 'ALL')
    methodsOf.set(app, methods)
  }
  const allowed = new Set<string>()
  for (const method of methods) {
    const handlers = (app.router.match(method, path)[0] as Matched[]).map(([[handler, route]]) => [handler, route.method])
    if (!handlers.some(([, m]) => m === method)) continue
    allowed.add(method)
    if (method === 'GET' && !handlers.some(([h]) => h === noHead)) allowed.add('HEAD')
  }
  if (allowed.size) allowed.add('OPTIONS') // CORS preflights are answered on every path
  return ORDER.filter((m) => allowed.has(m))
}

/**
 * The app's not-found handler: a path that exists with other methods answers 405
 * `{ status: 405, message: "Method not allowed" }` with `Allow` (a plain OPTIONS, 204 with `Allow`);
 * any other path, the JSON 404.
 */
export const methodAwareNotFound =
  (app: AnyApp): NotFoundHandler =>
  (c: Context) => {
    const allowed = allowedMethods(app, c.req.path)
    if (!allowed.length) return notFound(c)
    const Allow = allowed.join(', ')
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { Allow })
    return c.json({ status: 405, message: 'Method not allowed' }, 405, { Allow })
  }
