import type { ErrorBody, FieldError } from '../core/errors'
import type { PublicUser } from '../users/users.service'

export type Json = Record<string, any>

/** One route's presentation: the standard (status, body) in, the dialect's (status, body) out. */
export type Mapping = (status: number, body: Json) => [number, Json]

/**
 * A client dialect: a pure function of the route (`METHOD /path` relative to `/users` or
 * `/api/users`, e.g. `POST /login`; undefined outside those prefixes), the status and the standard
 * body. It changes presentation only: every decision (status class, who is refused) was taken before.
 */
export type Dialect = (route: string | undefined, status: number, body: Json) => [number, Json]

/** Messages of the standard contract that dialects translate. */
export const BAD_CREDENTIALS = 'Invalid email or password'
export const DUPLICATE = 'User already exists'
export const UNAUTHORIZED = 'Unauthorized'
/** The body parsed as JSON but is not an object (an array, a string, null): src/core/errors.ts. */
export const NOT_AN_OBJECT = 'Request body must be a JSON object'

/**
 * Builds a dialect from its known routes' success mappings and one error renderer. A route it does
 * not know (one added later, /health, /openapi.json) keeps its standard success body; every error
 * (status >= 400) goes through `error`, so errors always follow the dialect's conventions.
 */
export function defineDialect(spec: {
  routes: Record<string, Mapping>
  error: (route: string | undefined, status: number, body: ErrorBody) => [number, Json]
}): Dialect {
  return (route, status, body) => {
    if (status >= 400) return spec.error(route, status, body as ErrorBody)
    const mapping = route !== undefined && Object.hasOwn(spec.routes, route) ? spec.routes[route] : undefined
    return mapping ? mapping(status, body) : [status, body]
  }
}

/** The validation error's most useful line: its first field's message. */
export const firstMessage = (body: ErrorBody) => body.errors?.[0]?.msg ?? body.message

/** Field errors with only the keys a document shows. */
export const fieldErrors = (body: ErrorBody, keys: readonly (keyof FieldError)[]) =>
  body.errors?.map((e) => Object.fromEntries(keys.map((k) => [k, e[k]])))

/**
 * The name as a mongoose document serialises it: an absent last name is left out, not null.
 * `first`/`last` name the keys (`firstName` or `firstname`).
 */
export const nameOf = (user: PublicUser, first: string, last: string) => {
  const { firstName, lastName } = user.fullName
  return lastName ? { [first]: firstName, [last]: lastName } : { [first]: firstName }
}

/** "John Doe", or "John" without a last name. */
export const fullNameString = (user: PublicUser) =>
  [user.fullName.firstName, user.fullName.lastName].filter(Boolean).join(' ')
