import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { RouterRoute } from 'hono/types'
import type { AppEnv } from '../types'
import { defaultHook } from './validate'

/**
 * Every router starts here: its `.openapi(route, handler)` routes validate through the one hook, and
 * their declarations are merged into the app's OpenAPI document when the router is mounted. Only the
 * root app passes `getPath` (src/compat/: the /compat/<dialect> prefix is stripped before routing).
 */
export const createRouter = (options: { getPath?: (request: Request) => string } = {}) =>
  new OpenAPIHono<AppEnv>({ ...options, defaultHook })

/**
 * The route that answers the request (`.use()` middleware is registered as ALL and skipped), or
 * undefined when none matched (404, 405). Known from routing, before any middleware runs.
 */
export function answeringRoute(c: Context): RouterRoute | undefined {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i].method !== 'ALL') return routes[i]
  return undefined
}
