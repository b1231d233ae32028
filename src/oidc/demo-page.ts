import { createMiddleware } from 'hono/factory'
import { getOidcConfig, googleClientId, oidcConfigProblem } from '../config/oidc.config'
import type { AppEnv } from '../types'

// The demo page (/) is a static asset with a strict Content-Security-Policy (public/_headers): nothing
// from another origin. run_worker_first lists "/", so the Worker sees the page's requests: with
// Google configured it serves the page through the ASSETS binding with a policy that lets Google
// Identity Services in, and tells the page the client id. Without Google the page goes out exactly
// as the file and its headers are.

/** What Google Identity Services needs (its documented CSP): the script, its button's frame and style, its calls. */
const GOOGLE_SOURCES: Record<string, string> = {
  'script-src': 'https://accounts.google.com/gsi/client',
  'frame-src': 'https://accounts.google.com/gsi/',
  'connect-src': 'https://accounts.google.com/gsi/',
  'style-src': 'https://accounts.google.com/gsi/style',
}

/** `policy` with Google's sources added: to the directive when it is there, else to a copy of default-src. */
export function withGoogleSources(policy: string): string {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/)
        return [name.toLowerCase(), sources] as const
      }),
  )
  const fallback = directives.get('default-src') ?? ["'self'"]
  for (const [name, source] of Object.entries(GOOGLE_SOURCES)) directives.set(name, [...(directives.get(name) ?? fallback), source])
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ')
}

/**
 * GET / (and HEAD): the page from the static assets; with Google configured, its CSP extended by
 * Google's sources, `Cross-Origin-Opener-Policy: same-origin-allow-popups` (Google's sign-in popup
 * must be able to answer the page) and `data-google-client-id` on its body. Any other path, or
 * no Google, or a configuration error (the API's routes report it), is served as it is.
 */
export const demoPage = createMiddleware<AppEnv>(async (c, next) => {
  const isPage = (c.req.method === 'GET' || c.req.method === 'HEAD') && new URL(c.req.url).pathname === '/'
  if (!isPage || !c.env.ASSETS) return next()
  const clientId = oidcConfigProblem(c.env) ? undefined : googleClientId(getOidcConfig(c.env))
  if (!clientId) {
    const file = await c.env.ASSETS.fetch(c.req.raw)
    return new Response(file.body, file) // mutable headers: the request log adds X-Request-Id
  }
  // Always the whole page: a copy cached before Google was configured must not be revalidated (304).
  const request = new Request(c.req.raw)
  for (const name of ['If-None-Match', 'If-Modified-Since']) request.headers.delete(name)
  const page = await c.env.ASSETS.fetch(request)
  if (page.status !== 200 || !page.headers.get('Content-Type')?.startsWith('text/html')) return page
  const headers = new Headers(page.headers)
  headers.set('Content-Security-Policy', withGoogleSources(headers.get('Content-Security-Policy') ?? "default-src 'self'"))
  headers.set('Cross-Origin-Opener-Policy', 'same-origin-allow-popups')
  // The body changes with the configuration: the file's validators no longer describe it.
  headers.delete('ETag')
  headers.delete('Content-Length')
  headers.set('Cache-Control', 'no-cache')
  return new HTMLRewriter()
    .on('body', { element: (body: { setAttribute(name: string, value: string): unknown }) => void body.setAttribute('data-google-client-id', clientId) })
    .transform(new Response(page.body, { status: page.status, headers }))
})
