import type { RouteConfig, z } from '@hono/zod-openapi'
import { BadRequest, ErrorSchema } from '../core/schemas'
import { errorExamples, type Examples } from './examples'

// What routes declare again and again: JSON bodies, headers, and every error status described once.

type Responses = RouteConfig['responses']
type Headers = Record<string, { description: string; schema: { type: 'string' | 'integer' } }>

/** A JSON response: its schema types the handler's return and the typed client's `res.json()`. */
export const json = <S extends z.ZodType>(schema: S, description: string, examples?: Examples, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
})

/** A required JSON request body: validated with `schema`, documented with its named examples. */
export const jsonBody = <S extends z.ZodType>(schema: S, examples: Examples) => ({
  required: true,
  content: { 'application/json': { schema, examples } },
})

export const setCookie: Headers = {
  'Set-Cookie': {
    description: 'The session: `__Host-token=<jwt>; Max-Age=<JWT_TTL_SECONDS>; Path=/; HttpOnly; Secure; SameSite=Lax` (no Domain: only this host can set it).',
    schema: { type: 'string' },
  },
}
export const clearCookie: Headers = {
  'Set-Cookie': {
    description: 'Clears the session: `__Host-token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`.',
    schema: { type: 'string' },
  },
}
const retryAfter: Headers = { 'Retry-After': { description: 'Seconds to wait (60).', schema: { type: 'integer' } } }

/** The `security` of a route behind requireAuth: a Bearer header or the session cookie. */
export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }]

export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `token` from register/login. Read first when both are sent.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-token',
    description:
      'The httpOnly session cookie set by register/login; browsers send it by themselves. A request with more than one `__Host-token` is refused (401); a plain `token` cookie is ignored.',
  },
} as const

/**
 * Error responses. Handlers throw them (ApiError) and `onError` writes them; no handler returns one.
 * So they are documented, but typed as nothing: a handler's return type, and what the typed client's
 * `res.json()` gives, stay the success body alone.
 */
export const errorResponses = (responses: Responses): {} => responses

const error = (description: string, examples: Examples) => json(ErrorSchema, description, examples)

/** 400: the route's own validation examples, plus the body errors every JSON route shares. */
export const badRequest = (examples: Examples) =>
  errorResponses({
    400: json(
      BadRequest,
      'Validation failed (`errors[]`), malformed JSON, bytes that are not UTF-8, or a body that is not a JSON object.',
      { ...examples, ...errorExamples.malformed },
    ),
  })

/** 401 for a wrong email or password (login, change password). */
export const credentialsRefused = (examples: Examples) =>
  errorResponses({
    401: error('Unknown email or wrong password: the same body and the same bcrypt work for both.', examples),
  })

/** 500 and 503: any route can meet them. */
export const serverErrors = errorResponses({
  500: error('Unexpected failure: logged with its stack, never sent.', errorExamples.internal),
  503: error(
    'D1 could not be reached (`Database unavailable`), or KV, on the routes that check or write a token revocation (`Service temporarily unavailable`); nothing was written half-way and no token was accepted unchecked.',
    errorExamples.unavailable,
  ),
})

/** A route behind requireAuth. */
export const authErrors = errorResponses({
  401: error(
    'No valid token: missing, malformed, expired, revoked, or issued before a password change.',
    errorExamples.unauthorized,
  ),
  ...serverErrors,
})

/** A route that takes a JSON body (requireJson first in its middleware). */
export const bodyErrors = errorResponses({
  413: error('The body is over 16 KiB.', errorExamples.tooLarge),
  415: error('The body is not sent as `application/json`, or with a `charset` other than utf-8.', {
    ...errorExamples.notJson,
    ...errorExamples.wrongCharset,
  }),
  ...serverErrors,
})

/** A route with `limitByIp` (and per-email limits in its handler). */
export const rateLimitErrors = errorResponses({
  429: json(
    ErrorSchema,
    'Rate limited: per client (its IP; an IPv6 client by its /64) and per email (one budget of 10 a minute for register, login and change password together); retry after `Retry-After` seconds.',
    errorExamples.tooMany,
    retryAfter,
  ),
})

/** 429 on an account route, with what limits that route (each route says its own). */
export const lifecycleLimitErrors = (limits: string) =>
  errorResponses({
    429: json(ErrorSchema, `Rate limited: ${limits}; retry after \`Retry-After\` seconds.`, errorExamples.tooMany, {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    }),
  })

/** A cookie-authenticated state change guarded by sameOriginForCookies. */
export const originErrors = errorResponses({
  403: error(
    'The session cookie sent from an Origin that is not allowed (`CORS_ORIGINS`), or without Origin from another site or a sibling subdomain (`Sec-Fetch-Site` other than `same-origin` or `none`: an image, a link).',
    errorExamples.forbidden,
  ),
})

/**
 * 405, for any path and a method it does not serve (src/http/methods.ts): not an operation's response
 * (it answers the methods an operation is not declared for), so it is a component of its own.
 */
export const methodNotAllowed = {
  description: 'The path exists, not with this method (HEAD on a route that changes state included). `Allow` lists its methods.',
  headers: { Allow: { description: 'The methods the path serves, e.g. `GET, POST, OPTIONS`.', schema: { type: 'string' } } },
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      examples: errorExamples.methodNotAllowed,
    },
  },
} as const
