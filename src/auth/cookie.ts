import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'

/**
 * The session cookie. The `__Host-` prefix makes browsers accept it only from the API's own host,
 * Secure, with `Path=/` and no `Domain`: a page on a sibling subdomain cannot plant one (cookie
 * tossing). Browsers treat `http://localhost` as secure, so local development keeps it too.
 */
export const COOKIE_NAME = '__Host-token'

/** The session cookie's flags, defined once: set and clear must match or browsers keep the old one. */
const FLAGS: CookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'Lax' }

export const setSessionCookie = (c: Context, token: string, maxAge: number) =>
  setCookie(c, COOKIE_NAME, token, { ...FLAGS, maxAge })

export const clearSessionCookie = (c: Context) => deleteCookie(c, COOKIE_NAME, FLAGS)

/**
 * The session cookie's value, or undefined when there is none. More than one `__Host-token` in a
 * request means one was planted: the answer is '' (no valid session, so a 401), never a guess at
 * which one is real. Every other cookie is ignored, a leftover plain `token` (the name before
 * `__Host-token`, which any sibling subdomain could set) included.
 */
export function readSessionCookie(c: Context): string | undefined {
  const header = c.req.header('Cookie')
  if (!header?.includes(COOKIE_NAME)) return undefined
  let count = 0
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === COOKIE_NAME) count++
  }
  if (count > 1) return ''
  return count === 1 ? getCookie(c, COOKIE_NAME) : undefined
}
