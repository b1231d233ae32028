import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'

export const COOKIE_NAME = 'token'

/** The session cookie's flags, defined once: set and clear must match or browsers keep the old one. */
const FLAGS: CookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'Lax' }

export const setSessionCookie = (c: Context, token: string, maxAge: number) =>
  setCookie(c, COOKIE_NAME, token, { ...FLAGS, maxAge })

export const clearSessionCookie = (c: Context) => deleteCookie(c, COOKIE_NAME, FLAGS)

export const readSessionCookie = (c: Context) => getCookie(c, COOKIE_NAME)
