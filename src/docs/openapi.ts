import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi'
import { STANDARD_BASE } from '../compat/base'
import * as ex from './openapi.examples'
import {
  badRequest,
  clearCookie,
  credentialsRefused,
  forbidden,
  internal,
  json,
  jsonBody,
  security,
  setCookie,
  withAuth,
  withBody,
} from './openapi.responses'
import {
  AuthResult,
  ChangePasswordBody,
  ErrorSchema,
  HealthOk,
  LoginBody,
  MessageResult,
  PasswordChanged,
  ProfileResult,
  RegisterBody,
} from './openapi.schemas'

export const PREFIXES = ['/users', '/api/users'] as const
/** The canonical prefix; `/api/users` serves the same routes and is documented as an alias. */
const CANONICAL = PREFIXES[0]

type Operation = Omit<RouteConfig, 'path'> & { path: string; operationId: string }

/** The users routes, relative to a prefix. */
const usersOperations: Operation[] = [
  {
    method: 'post',
    path: '/register',
    operationId: 'register',
    summary: 'Register',
    description: 'Creates the user, then answers like login: the user, the token, and the session cookie.',
    request: { body: jsonBody(RegisterBody, ex.register.request) },
    responses: {
      201: json(AuthResult, 'Registered and logged in.', ex.register.created, setCookie),
      400: badRequest(ex.register.invalid),
      409: json(ErrorSchema, 'The email is taken (a UNIQUE index decides).', ex.register.conflict),
      ...withBody,
    },
  },
  {
    method: 'post',
    path: '/login',
    operationId: 'login',
    summary: 'Log in',
    request: { body: jsonBody(LoginBody, ex.login.request) },
    responses: {
      200: json(AuthResult, 'Logged in.', ex.login.ok, setCookie),
      400: badRequest(ex.login.invalid),
      401: credentialsRefused(ex.login.refused),
      ...withBody,
    },
  },
  {
    method: 'get',
    path: '/profile',
    operationId: 'profile',
    summary: 'The current user',
    security,
    responses: { 200: json(ProfileResult, 'The token’s user.', ex.simple.profile), ...withAuth },
  },
  {
    method: 'patch',
    path: '/changePassword',
    operationId: 'changePassword',
    summary: 'Change the password',
    description:
      'No token needed: the old password proves identity. Every token issued before the change is refused afterwards.',
    request: { body: jsonBody(ChangePasswordBody, ex.changePassword.request) },
    responses: {
      200: json(PasswordChanged, 'Changed; every earlier token of this user is now refused.', ex.changePassword.ok),
      400: badRequest(ex.changePassword.invalid),
      401: credentialsRefused(ex.changePassword.refused),
      ...withBody,
    },
  },
  ...(['post', 'get'] as const).map(
    (method): Operation => ({
      method,
      path: '/logout',
      operationId: method === 'post' ? 'logout' : 'logoutWithGet',
      summary: method === 'post' ? 'Log out' : 'Log out (GET, for existing clients)',
      description:
        'Revokes this token (its `jti` goes to the KV blacklist) and clears the cookie. Other sessions stay valid.',
      security,
      responses: {
        200: json(MessageResult, 'Logged out.', ex.simple.logout, clearCookie),
        ...withAuth,
        403: forbidden,
      },
    }),
  ),
  {
    method: 'post',
    path: '/logout-all',
    operationId: 'logoutAll',
    summary: 'Log out everywhere',
    description: 'Bumps the user’s token version: every session of this user ends at once, everywhere.',
    security,
    responses: {
      200: json(MessageResult, 'Every session of this user is ended.', ex.simple.logoutAll, clearCookie),
      ...withAuth,
      403: forbidden,
    },
  },
]

const healthOperation = (prefix: string): Operation => ({
  method: 'get',
  path: `${prefix}/health`,
  operationId: prefix ? `health${prefix.split('/').map(capitalize).join('')}` : 'health',
  tags: ['health'],
  summary: 'Health',
  description: prefix ? 'Alias of GET /health: identical behaviour.' : 'Answers after a trivial D1 query.',
  ...(prefix ? { 'x-alias-of': 'GET /health' } : {}),
  responses: {
    200: json(HealthOk, 'D1 answered.', ex.simple.health),
    500: internal,
    503: json(ErrorSchema, 'D1 did not answer.', ex.errors.databaseDown),
  },
})

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Every operation of the API, both prefixes; the alias copies say so and point at the original. */
export function operations(): Operation[] {
  const users = PREFIXES.flatMap((prefix) =>
    usersOperations.map((op): Operation => {
      if (prefix === CANONICAL) return { ...op, path: prefix + op.path, tags: ['users'] }
      const original = `${op.method.toUpperCase()} ${CANONICAL}${op.path}`
      return {
        ...op,
        path: prefix + op.path,
        operationId: `${op.operationId}ApiAlias`,
        tags: ['users (/api/users alias)'],
        description: `Alias of ${original}: identical behaviour.`,
        'x-alias-of': original,
      }
    }),
  )
  return [...users, ...['', ...PREFIXES].map(healthOperation)]
}

let cached: ReturnType<OpenAPIHono['getOpenAPI31Document']> | undefined

/** The OpenAPI 3.1 document, generated once per isolate from the zod schemas. */
export function openApiDocument() {
  if (cached) return cached
  const spec = new OpenAPIHono()
  spec.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `token` from register/login. Read first when both are sent.',
  })
  spec.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'token',
    description: 'The httpOnly session cookie set by register/login; browsers send it by themselves.',
  })
  for (const op of operations()) spec.openAPIRegistry.registerPath(createRoute(op))
  spec.openAPIRegistry.registerPath(
    createRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      tags: ['docs'],
      summary: 'This document',
      responses: {
        200: {
          description: 'The OpenAPI 3.1 document.',
          content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } },
        },
      },
    }),
  )
  cached = spec.getOpenAPI31Document(
    {
      openapi: '3.1.0',
      info: {
        title: 'Users auth API',
        version: '0.1.0',
        description:
          'Register, log in and keep a session with an httpOnly cookie or a Bearer token. Every route under `/users` is also served under `/api/users`. Errors are always `{ status, message, errors? }`.',
      },
      // The standard contract's own prefix, so "Try it out" gets these shapes whatever DIALECT says.
      servers: [{ url: STANDARD_BASE, description: 'This deployment, standard contract' }],
      tags: [
        { name: 'users', description: 'The users API.' },
        {
          name: 'users (/api/users alias)',
          description: 'The same routes under /api/users, for clients that use that prefix.',
        },
        { name: 'health' },
        { name: 'docs' },
      ],
    },
    { unionPreferredType: 'oneOf' },
  )
  return cached
}
