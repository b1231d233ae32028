import type { Context } from 'hono'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { credentialOf } from '../auth/require-auth'
import { ApiError } from '../core/errors'
import type { AppEnv } from '../types'

// CORS_ORIGINS parsed once per distinct value, not per request: the set of origins, or what is wrong.
const parsed = new Map<string, Set<string> | string>()

/**
 * Why an entry of CORS_ORIGINS is not an origin as a browser sends it (`scheme://host[:port]`,
 * lowercase, no path), or undefined when it is one. A trailing slash is tolerated.
 */
export function originProblem(entry: string): string | undefined {
  let url: URL | undefined
  try {
    url = new URL(entry)
  } catch {}
  if (url && /^https?:$/.test(url.protocol) && url.origin === entry) return undefined
  const hint = url && /^https?:$/.test(url.protocol) ? ` (did you mean "${url.origin}"?)` : ''
  return `"${entry}" is not an origin: write scheme://host[:port], e.g. http://localhost:5173${hint}`
}

function parseOrigins(csv: string): Set<string> | string {
  const entries = csv.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)
  const problems = entries.map(originProblem).filter(Boolean)
  return problems.length ? `CORS_ORIGINS: ${problems.join('; ')}` : new Set(entries)
}

/**
 * The origins listed in CORS_ORIGINS. An entry that is not an origin (`localhost:3000`, a path, a
 * typo) is a configuration error, not an origin silently never matched: every request answers 500
 * and the log names the entry, until the setting is fixed.
 */
function listedOrigins(csv = ''): Set<string> {
  let origins = parsed.get(csv)
  if (!origins) {
    origins = parseOrigins(csv)
    parsed.set(csv, origins)
  }
  if (typeof origins === 'string') {
    console.error(`Invalid configuration: ${origins}`)
    throw new ApiError('INTERNAL_ERROR')
  }
  return origins
}

/** The API's own origin and the origins listed in CORS_ORIGINS. */
export function isAllowedOrigin(c: Context<AppEnv>, origin: string) {
  return origin === new URL(c.req.url).origin || listedOrigins(c.env.CORS_ORIGINS).has(origin)
}

const EXPOSE = 'Retry-After, X-Request-Id'

/**
 * hono's CORS, for an origin that is granted: always that exact origin (never `*`), with
 * credentials; `Retry-After` and `X-Request-Id` are readable (how long to wait after a 429, a
 * request's id to quote). hono joins list values with ","; one pre-joined entry keeps each header
 * as this API has always sent it.
 */
const grant = cors({
  origin: (origin) => origin,
  credentials: true,
  allowMethods: ['GET, POST, PATCH, DELETE, OPTIONS'],
  allowHeaders: ['Content-Type, Authorization'],
  exposeHeaders: [EXPOSE],
  maxAge: 600,
})

/**
 * CORS for browser clients: only the API's own origin and the listed ones get a grant (hono's cors,
 * above). Other origins get no CORS headers at all, so the browser withholds the answer.
 */
export const corsPolicy = createMiddleware<AppEnv>(async (c, next) => {
  listedOrigins(c.env.CORS_ORIGINS) // checked on every request, so a bad setting cannot go unnoticed
  const origin = c.req.header('Origin')
  const granted = origin !== undefined && isAllowedOrigin(c, origin)
  const preflight = c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined
  // hono's cors answers every OPTIONS as a preflight; a plain OPTIONS goes on to the routes instead
  // (204 with `Allow`, or the 404), and it sends credentials and exposed headers to every origin.
  if (granted && (preflight || c.req.method !== 'OPTIONS')) return grant(c, next)
  if (preflight) return c.body(null, 204, { Vary: 'Origin' })
  await next()
  c.header('Vary', 'Origin', { append: true })
  if (granted) {
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Access-Control-Allow-Credentials', 'true')
    c.header('Access-Control-Expose-Headers', EXPOSE)
  }
})

/** Sec-Fetch-Site of a request the user made on purpose: from the API's own pages, or a typed URL. */
const DIRECT = new Set(['same-origin', 'none'])

/**
 * Whether a browser request comes from a context allowed to change state with the cookie: an
 * `Origin` that is the API's own or listed (browsers send Origin on every POST and every CORS
 * fetch), or, without Origin, `Sec-Fetch-Site` same-origin or none, or no Sec-Fetch-Site at all
 * (a non-browser client). An `<img>` or a link on a sibling subdomain sends no Origin and
 * `Sec-Fetch-Site: same-site`: SameSite=Lax gives it the cookie, so it must be refused here.
 */
function fromAllowedContext(c: Context<AppEnv>) {
  const origin = c.req.header('Origin')
  if (origin !== undefined) return isAllowedOrigin(c, origin)
  const site = c.req.header('Sec-Fetch-Site')
  return site === undefined || DIRECT.has(site)
}

/**
 * Cross-site request forgery guard for cookie-authenticated state changes (logout, logout-all,
 * PATCH/DELETE /profile, verify-email/request): a browser request that carries the session cookie
 * from a context that is not allowed (above) is refused with 403. Bearer requests carry their own
 * proof, and a request with no credential gets the usual 401.
 */
export const sameOriginForCookies = createMiddleware<AppEnv>(async (c, next) => {
  if (credentialOf(c)?.via === 'cookie' && !fromAllowedContext(c)) throw new ApiError('ORIGIN_NOT_ALLOWED')
  await next()
})
