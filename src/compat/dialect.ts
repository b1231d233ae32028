import type { Hono } from 'hono'
import type { accountRouter } from '../account/account.routes'
import type { ErrorBody } from '../core/errors'
import type { FieldError } from '../core/schemas'
import type { docsRouter } from '../docs/docs.routes'
import type { healthRouter } from '../health/health.routes'
import type { oidcRouter } from '../oidc/oidc.routes'
import type { usersRouter } from '../users/users.routes'

export type Json = Record<string, any>

/** One route's presentation: the standard (status, body) in, the dialect's (status, body) out. */
export type Mapping = (status: number, body: Json) => [number, Json]

type MethodOf<K> = K extends `$${infer M}` ? Uppercase<M> : never
type RouteKeysOf<R> = R extends Hono<any, infer S, any> ? { [P in keyof S & string]: `${MethodOf<keyof S[P]>} ${P}` }[keyof S & string] : never

/**
 * A route as dialects name it: its method and its path below the prefix its router is mounted on
 * (`POST /login` for /users/login and /api/users/login). Read from the routers' types, so a key that
 * names no route fails the type check.
 */
export type RouteKey = RouteKeysOf<
  typeof usersRouter | typeof accountRouter | typeof oidcRouter | typeof healthRouter | ReturnType<typeof docsRouter>
>

/** Whether the answering route (undefined when none matched) is `key`. */
export const routeIs = (route: string | undefined, key: RouteKey) => route === key

/**
 * A client dialect: a pure function of the answering route (a RouteKey; undefined when no route
 * matched), the status and the standard body. It changes presentation only: every decision (status
 * class, who is refused) was taken before.
 */
export type Dialect = (route: string | undefined, status: number, body: Json) => [number, Json]

/**
 * Builds a dialect from its known routes' success mappings and one error renderer. A route it does
 * not know (one added later, /health, /openapi.json) keeps its standard success body; every error
 * (status >= 400) goes through `error`, so errors always follow the dialect's conventions.
 */
export function defineDialect(spec: {
  routes: Partial<Record<RouteKey, Mapping>>
  error: (route: string | undefined, status: number, body: ErrorBody) => [number, Json]
}): Dialect {
  const mappings = new Map<string, Mapping | undefined>(Object.entries(spec.routes))
  return (route, status, body) => {
    if (status >= 400) {
      const [s, b] = spec.error(route, status, body as ErrorBody)
      return [s, { ...b, ...signUpHint(body as ErrorBody) }]
    }
    const mapping = route === undefined ? undefined : mappings.get(route)
    return mapping ? mapping(status, body) : [status, body]
  }
}

/**
 * The sign-up hint of a provider's sign-in without an account (OIDC_USER_NOT_FOUND): kept in every
 * dialect's error body, so that its clients can prefill their sign-up form.
 */
const signUpHint = (body: ErrorBody) =>
  body.code === 'OIDC_USER_NOT_FOUND'
    ? { email: body.email, firstName: body.firstName, lastName: body.lastName, picture: body.picture }
    : {}

/**
 * The sign-in routes of the providers, rendered like register (201, an account was created) or like
 * login (200): a dialect's clients read them as they read those.
 */
export const signInRoutes = (register: Mapping, login: Mapping) => {
  const signIn: Mapping = (s, b) => (s === 201 ? register(s, b) : login(s, b))
  return { 'POST /google-login': signIn, 'POST /oidc/:provider/login': signIn } satisfies Partial<Record<RouteKey, Mapping>>
}

/** The validation error's most useful line: its first field's message. */
export const firstMessage = (body: ErrorBody) => body.errors?.[0]?.msg ?? body.message

/** Field errors with only the keys a document shows. */
export const fieldErrors = (body: ErrorBody, keys: readonly (keyof FieldError)[]) =>
  body.errors?.map((e) => Object.fromEntries(keys.map((k) => [k, e[k]])))
