import { createMiddleware } from 'hono/factory'
import { getPath } from 'hono/utils/url'
import { getConfig } from '../config/app.config'
import type { AppEnv, Bindings } from '../types'
import type { DialectName } from '../config/app.config'
import { DIALECTS, isDialectName, standard } from './registry'

const PREFIX = /^\/compat\/([^/]+)/
const USERS = /^\/(?:api\/)?users(\/.*)$/

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

/** A router whose routes answer in the standard shape under every prefix (its `.routes`, as Hono lists them). */
type StandardRouter = { routes: readonly { method: string; path: string }[] }

/**
 * Renders every JSON response in the caller's dialect, after the handlers and `onError` produced
 * the standard one. Status and body only: headers (Set-Cookie, Retry-After, CORS) are kept as they are.
 * The routes of `standardShape` (the account lifecycle: no seed document's client calls them) keep
 * the standard shape under every prefix, their errors included; the set is read from the routers
 * themselves, so a route added to one of them needs no other edit.
 */
export function presentDialect(standardShape: readonly StandardRouter[] = []) {
  const standardRoutes = new Set(
    standardShape.flatMap((router) => router.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)),
  )
  return createMiddleware<AppEnv>(async (c, next) => {
    const path = USERS.exec(c.req.path)?.[1]
    const route = path && `${c.req.method} ${path}`
    const name = route && standardRoutes.has(route) ? 'standard' : (prefixOf(getPath(c.req.raw))?.name ?? configured(c.env))
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
}
