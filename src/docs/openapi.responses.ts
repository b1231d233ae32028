import { type RouteConfig, z } from '@hono/zod-openapi'
import * as ex from './openapi.examples'
import { ErrorSchema, ValidationError } from './openapi.schemas'

// The responses and request bodies the operations share: every error status described once.

type Responses = RouteConfig['responses']
type Example = ex.Examples
type Headers = Record<string, { description: string; schema: { type: 'string' | 'integer' } }>

export const json = (schema: z.ZodType, description: string, examples?: Example, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
})

export const setCookie: Headers = {
  'Set-Cookie': {
    description: 'The session: `token=<jwt>; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=<JWT_TTL_SECONDS>`.',
    schema: { type: 'string' },
  },
}
export const clearCookie: Headers = {
  'Set-Cookie': {
    description: 'Clears the session: `token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`.',
    schema: { type: 'string' },
  },
}
const retryAfter: Headers = { 'Retry-After': { description: 'Seconds to wait (60).', schema: { type: 'integer' } } }

// A ValidationError is also an Error, so the 400 union must be anyOf, not oneOf.
const BadRequest = z.union([ValidationError, ErrorSchema]).openapi('BadRequest', {}, { unionPreferredType: 'anyOf' })

export const badRequest = (examples: Example) =>
  json(BadRequest, 'Validation failed (`errors[]`), malformed JSON, or a body that is not a JSON object.', examples)
export const unauthorized = json(
  ErrorSchema,
  'No valid token: missing, malformed, expired, revoked, or issued before a password change.',
  ex.errors.unauthorized,
)
export const credentialsRefused = (examples: Example) =>
  json(ErrorSchema, 'Unknown email or wrong password: the same body and the same bcrypt work for both.', examples)
export const forbidden = json(
  ErrorSchema,
  'The session cookie sent from an Origin that is not allowed (`CORS_ORIGINS`), or by a cross-site navigation (`Sec-Fetch-Site: cross-site`).',
)
const tooLarge = json(ErrorSchema, 'The body is over 16 KiB (on every route).')
const notJson = json(ErrorSchema, 'The body is not sent as `application/json`.', ex.errors.notJson)
const tooMany = json(
  ErrorSchema,
  'Rate limited: per client IP (register, login, change password) and per email (login, change password); retry after `Retry-After` seconds.',
  ex.errors.tooMany,
  retryAfter,
)
export const internal = json(ErrorSchema, 'Unexpected failure: logged with its stack, never sent.', ex.errors.internal)
const unavailable = json(
  ErrorSchema,
  'D1 or KV could not be reached; nothing was accepted unchecked.',
  ex.errors.unavailable,
)

export const withBody = {
  413: tooLarge,
  415: notJson,
  429: tooMany,
  500: internal,
  503: unavailable,
} satisfies Responses
export const withAuth = { 401: unauthorized, 413: tooLarge, 500: internal, 503: unavailable } satisfies Responses
export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }]

export const jsonBody = (schema: z.ZodType, examples: Example) => ({
  required: true,
  content: { 'application/json': { schema, examples } },
})
