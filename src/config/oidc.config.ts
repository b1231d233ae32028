import * as z from 'zod'
import { settings } from './settings'

// Sign-in with an OpenID Connect provider (src/oidc/): GOOGLE_CLIENT_ID, OIDC_PROVIDERS, OIDC_SIGNUP.

/** A provider whose ID tokens sign users in. */
export type Provider = {
  /** Its name in the routes (`/oidc/<name>/login`) and in the identities table. */
  name: string
  /** Its issuer: the discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string
  /** The `iss` values its ID tokens may carry (Google's tokens spell it two ways). */
  issuers: string[]
  /** The front ends' OAuth client ids: a token's `aud` must be one of them. */
  clientIds: string[]
}

const GOOGLE_ISSUER = 'https://accounts.google.com'

/** Where an `http://` issuer is accepted: tests and local development, never a deployed provider. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1'])

/** True for an issuer URL this API accepts: https (http only on a local host), no credentials, query or fragment. */
export function isIssuerUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))
  return scheme && !url.username && !url.password && !url.search && !url.hash && !value.includes('#') && !value.includes('?')
}

const issuer = z
  .string({ error: 'issuer must be a string' })
  .refine(isIssuerUrl, 'issuer must be an https:// URL without a query or fragment (http:// only on localhost or 127.0.0.1)')

const clientIds = z
  .array(z.string({ error: 'each client id must be a string' }).trim().min(1, 'a client id must not be empty'), {
    error: 'clientIds must be an array of strings',
  })
  .min(1, 'clientIds must list at least one client id')

const entry = z.strictObject(
  { issuer: issuer.optional(), clientIds: clientIds.optional() },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key ${iss.keys.join(', ')} (an entry has issuer and clientIds)` : 'each entry must be an object { issuer, clientIds }') },
)

/** A provider's name is a path segment of its route: lowercase letters, digits, `-` and `_`. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/

const providersJson = z.preprocess(
  (value, ctx) => {
    if (value === undefined || value === '') return {}
    if (typeof value !== 'string') return value // a table in wrangler.toml arrives as an object
    try {
      return JSON.parse(value)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: { "<name>": { "issuer": "https://…", "clientIds": ["…"] } }', input: value })
      return z.NEVER
    }
  },
  z.record(z.string(), entry, { error: 'must be a JSON object: { "<name>": { "issuer": "https://…", "clientIds": ["…"] } }' }),
)

const schema = z
  .object({
    /** The front end's OAuth client id(s), comma-separated: setting it turns Google on. */
    GOOGLE_CLIENT_ID: z.string().default(''),
    OIDC_PROVIDERS: providersJson,
    OIDC_SIGNUP: z
      .enum(['true', 'false'], { error: 'OIDC_SIGNUP must be "true" or "false"' })
      .default('true')
      .transform((s) => s === 'true'),
  })
  .transform(({ GOOGLE_CLIENT_ID, OIDC_PROVIDERS, OIDC_SIGNUP }, ctx) => {
    const googleIds = GOOGLE_CLIENT_ID.split(',').map((s) => s.trim()).filter(Boolean)
    const providers = new Map<string, Provider>()
    if (googleIds.length) providers.set('google', { name: 'google', issuer: GOOGLE_ISSUER, issuers: [GOOGLE_ISSUER, 'accounts.google.com'], clientIds: googleIds })
    for (const [name, { issuer, clientIds = [] }] of Object.entries(OIDC_PROVIDERS)) {
      const path = (key: string) => ['OIDC_PROVIDERS', name, key]
      if (!NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['OIDC_PROVIDERS', name], message: 'a provider name is 1-32 lowercase letters, digits, - or _ (it is a path segment)', input: name })
      const preset = name === 'google' ? providers.get('google') : undefined
      const ids = [...new Set([...(preset?.clientIds ?? []), ...clientIds])]
      if (!issuer && name !== 'google') ctx.addIssue({ code: 'custom', path: path('issuer'), message: 'issuer is required', input: name })
      if (!ids.length) {
        const message = name === 'google' ? 'clientIds is required (or set GOOGLE_CLIENT_ID)' : 'clientIds is required'
        ctx.addIssue({ code: 'custom', path: path('clientIds'), message, input: name })
      }
      providers.set(name, {
        name,
        issuer: issuer ?? GOOGLE_ISSUER,
        issuers: issuer ? [issuer] : [GOOGLE_ISSUER, 'accounts.google.com'],
        clientIds: ids,
      })
    }
    return { providers, signup: OIDC_SIGNUP }
  })

export type OidcConfig = z.output<typeof schema>

const oidcSettings = settings(schema)

/** What is wrong with the sign-in settings, or undefined when they are valid (for /health: never throws). */
export const oidcConfigProblem = oidcSettings.problem

/**
 * The providers and OIDC_SIGNUP. A malformed OIDC_PROVIDERS (not JSON, an http:// issuer that is not
 * local, an entry without client ids) fails closed like CORS_ORIGINS: the routes that need it answer
 * 500 and the log names the entry.
 */
export const getOidcConfig = oidcSettings.get

/** The OAuth client id a page gives Google Identity Services, or undefined when Google is off. */
export const googleClientId = (config: OidcConfig): string | undefined => config.providers.get('google')?.clientIds[0]
