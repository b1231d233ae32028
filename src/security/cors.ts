import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { credentialOf } from '../auth/require-auth'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'

const ALLOW_METHODS = 'GET, POST, PATCH, OPTIONS'
const ALLOW_HEADERS = 'Content-Type, Authorization'

// CORS_ORIGINS parsed once per distinct value, not per request.
const parsed = new Map<string, Set<string>>()

function listedOrigins(csv = ''): Set<string> {
  let origins = parsed.get(csv)
  if (!origins) {
    origins = new Set(csv.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    parsed.set(csv, origins)
  }
  return origins
}

/** The API's own origin and the origins listed in CORS_ORIGINS. */
export function isAllowedOrigin(c: Context<AppEnv>, origin: string) {
  return origin === new URL(c.req.url).origin || listedOrigins(c.env.CORS_ORIGINS).has(origin)
}

/**
 * CORS for browser clients: only listed origins get a grant, always the exact origin (never `*`),
 * with credentials. Other origins get no CORS headers at all, so the browser withholds the answer.
 */
export const corsPolicy = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin')
  const granted = origin !== undefined && isAllowedOrigin(c, origin)
  if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
    const headers: Record<string, string> = { Vary: 'Origin' }
    if (granted) {
      Object.assign(headers, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
      })
    }
    return c.body(null, 204, headers)
  }
  await next()
  c.res.headers.append('Vary', 'Origin')
  if (granted) {
    c.res.headers.set('Access-Control-Allow-Origin', origin)
    c.res.headers.set('Access-Control-Allow-Credentials', 'true')
    // So that a browser client can read how long to wait after a 429.
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After')
  }
})

/**
 * Cross-site request forgery guard for cookie-authenticated state changes (logout, logout-all):
 * a browser request that carries the session cookie from an origin that is not allowed is refused.
 * Bearer requests carry their own proof, and a request with no credential gets the usual 401.
 */
export const sameOriginForCookies = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin')
  const crossSite = origin ? !isAllowedOrigin(c, origin) : c.req.header('Sec-Fetch-Site') === 'cross-site'
  if (crossSite && credentialOf(c)?.via === 'cookie') throw new ApiError(403, 'Forbidden: origin not allowed')
  await next()
})
