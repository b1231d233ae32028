import { type ClientRequestOptions, hc } from 'hono/client'
import type { AppType } from './app'
import { STANDARD_BASE } from './http/prefixes'

/**
 * A typed client for this API: routes, bodies and responses come from `AppType`, so a contract
 * change that would break a client breaks its type check instead.
 *
 *   // in a browser (DOM types); server-side code sends a Bearer header in init.headers instead
 *   const api = createClient('https://auth.example.com', { init: { credentials: 'include' } })
 *   const res = await api.users.login.$post({ json: { email, password } })
 */
export const createClient = (baseUrl: string, init?: ClientRequestOptions) =>
  // The standard contract's own prefix: the answers match these types whatever DIALECT the deployment sets.
  hc<AppType>(baseUrl.replace(/\/+$/, '') + STANDARD_BASE, init)

export type Client = ReturnType<typeof createClient>
