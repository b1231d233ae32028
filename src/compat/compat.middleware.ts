import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { getPath } from 'hono/utils/url'
import { type DialectName, getConfig } from '../config/app.config'
import { COMPAT_PREFIX } from '../http/prefixes'
import { answeringRoute } from '../http/router'
import type { AppEnv, Bindings } from '../types'
import type { RouteKey } from './dialect'
import { DIALECTS, isDialectName, standard } from './registry'

const PREFIX = new RegExp(`^${COMPAT_PREFIX}/([^/]+)`)

/**
 * The account lifecycle's routes: no legacy client calls them, so they answer in the standard shape
 * under every prefix and DIALECT, their errors included. Every other route follows the dialect.
 */
const STANDARD_SHAPE: ReadonlySet<string> = new Set<RouteKey>([
  'POST /verify-email/request',
  'POST /verify-email',
  'POST /forgot-password',
  'POST /reset-password',
  'PATCH /profile',
  'DELETE /profile',
])

/** The dialect a `/compat/<name>` prefix names, with the prefix's length; none for another path. */
function prefixOf(path: string): { name: DialectName; length: number } | undefined {
  const match = PREFIX.exec(path)
  return match && isDialectName(match[1]) ? { name: match[1], length: match[0].length } : undefined
}

/**
 * Hono's `getPath`: routing sees the path without `/compat/<name>`, so every route (including ones
 * added later) exists under every prefix without being mounted again; `app.routes` and `AppType`
 * do not change. `c.req.path` is this stripped path; `c.req.url` stays the URL that was requested.
 * An unknown name is not stripped, so the path matches nothing: the JSON 404.
 */
export function compatPath(request: Request): string {
  const path = getPath(request)
  const prefix = prefixOf(path)
  return prefix ? path.slice(prefix.length) || '/' : path
}

/** DIALECT for the unprefixed routes; an unknown value is a configuration error (500, logged). */
function configured(env: Bindings): DialectName {
  const name = env.DIALECT ?? 'standard'
  return isDialectName(name) ? name : getConfig(env).DIALECT
}

/**
 * The route that answers, as dialects name it: its method and its path below the prefix its router
 * is mounted on (`POST /login` for /users/login and /api/users/login). Undefined when no route
 * matched (404, 405).
 */
function routeKey(c: Context): string | undefined {
  const route = answeringRoute(c)
  if (!route) return undefined
  return `${route.method} ${route.basePath === '/' ? route.path : route.path.slice(route.basePath.length)}`
}

/**
 * Renders every JSON response in the caller's dialect, after the handlers and `onError` produced
 * the standard one. Status and body only: headers (Set-Cookie, Retry-After, CORS) are kept as they are.
 */
export const presentDialect = createMiddleware<AppEnv>(async (c, next) => {
  const route = routeKey(c)
  const name = route && STANDARD_SHAPE.has(route) ? 'standard' : (prefixOf(getPath(c.req.raw))?.name ?? configured(c.env))
  c.set('dialect', name) // for the request log
  const dialect = DIALECTS[name]
  await next()
  if (dialect === standard || !c.res.headers.get('Content-Type')?.startsWith('application/json')) return
  const [status, body] = dialect(route, c.res.status, await c.res.json())
  const headers = new Headers(c.res.headers)
  headers.delete('Content-Length')
  c.res = undefined
  c.res = new Response(JSON.stringify(body), { status, headers })
})
