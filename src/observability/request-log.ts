import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { DialectName } from '../config/app.config'
import { answeringRoute } from '../http/router'
import type { AppEnv } from '../types'

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** What one request leaves in the logs: never a token, password, hash, email or request body. */
export type RequestLog = {
  type: 'request'
  message: string
  requestId: string
  method: string
  /** The route pattern that answered (`/users/profile`), null when none did (404, CORS preflight). */
  route: string | null
  /** The URL path as requested (with its `/compat/<name>` prefix), without the query string. */
  path: string
  /** The dialect the response was rendered in (`/compat/<name>` or DIALECT; `standard` when none could be chosen). */
  dialect: DialectName
  status: number
  /** Wall time until the response. Workers advance the clock only across I/O, so CPU work shows as 0. */
  durationMs: number
  /** The authenticated user's id, on the routes that take a token. */
  userId?: string
}

/** Cloudflare sets `cf-ray` on every request from the internet; it is the id its dashboard shows. */
const RAY = /^[\w-]{1,64}$/

function requestIdOf(c: Context) {
  const ray = c.req.header('cf-ray')
  return ray && RAY.test(ray) ? ray : crypto.randomUUID()
}

const MAX_PATH = 256

/**
 * Gives every request an id (`cf-ray` when present), returns it as `X-Request-Id` on every
 * response (errors, 404 and preflights included) and writes one JSON line per request.
 * Registered first, so it sees the final response, after onError and notFound.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now()
  const requestId = requestIdOf(c)
  c.set('requestId', requestId)
  await next()
  c.res.headers.set(REQUEST_ID_HEADER, requestId)
  const route = answeringRoute(c)?.path ?? null
  // c.req.path is the routing path, without /compat/<name>: log what the client asked for.
  const path = new URL(c.req.url).pathname.slice(0, MAX_PATH)
  const line: RequestLog = {
    type: 'request',
    message: `${c.req.method} ${route ?? path} ${c.res.status}`,
    requestId,
    method: c.req.method,
    route,
    path,
    dialect: c.get('dialect') ?? 'standard',
    status: c.res.status,
    durationMs: Date.now() - started,
  }
  const userId = c.get('user')?.id
  if (userId) line.userId = userId
  // One line of JSON wherever it lands: the dev terminal, `wrangler tail`, Workers Logs.
  console.log(JSON.stringify(line))
})
