import SwaggerParser from '@apidevtools/swagger-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../src/app'
import { ERROR_CODES } from '../src/core/error-codes'
import { openApiDocument } from '../src/docs/openapi'
import {
  type Doc,
  fetchDocument,
  type Op,
  operationsOf,
  requestExamples,
  responseExamples,
  schemaChecker,
  statusFor,
  withRun,
} from './docs.helpers'
import { bearer, call, cookie, type Json, PASSWORD, PREFIXES, registered, send } from './helpers'

/**
 * The contract (issue 2, plus issue 3's statuses): every route, and the statuses each documents.
 * Routes without a body list no 413 or 415 (issue 12).
 */
const BODY = [413, 415, 429, 500, 503]
const AUTH = [401, 500, 503]
const USERS_CONTRACT: Record<string, number[]> = {
  'POST /register': [201, 400, 409, ...BODY],
  'POST /login': [200, 400, 401, 403, ...BODY],
  'GET /profile': [200, ...AUTH],
  'GET /session': [200, 500, 503],
  'PATCH /changePassword': [200, 400, 401, ...BODY],
  'POST /logout': [200, 403, ...AUTH],
  'GET /logout': [200, 403, ...AUTH],
  'POST /logout-all': [200, 403, ...AUTH],
  // Issue 13: the account lifecycle.
  'POST /verify-email/request': [202, 403, 409, 429, ...AUTH],
  'POST /verify-email': [200, 400, 401, ...BODY],
  'POST /forgot-password': [202, 400, ...BODY],
  'POST /reset-password': [200, 400, ...BODY],
  'PATCH /profile': [200, 400, 403, 413, 415, ...AUTH],
  'DELETE /profile': [200, 400, 403, ...BODY, 401],
}
const CONTRACT: Record<string, number[]> = {
  ...Object.fromEntries(
    PREFIXES.flatMap((prefix) =>
      Object.entries(USERS_CONTRACT).map(([k, s]) => [k.replace(' /', ` ${prefix}/`), s] as const),
    ),
  ),
  'GET /health': [200, 500, 503],
  'GET /users/health': [200, 500, 503],
  'GET /api/users/health': [200, 500, 503],
  'GET /openapi.json': [200],
}

/**
 * Body examples replayed in this order: later ones rely on users the earlier ones created. The
 * secured ones (PATCH/DELETE /profile) are sent with the token of a user registered for each example.
 */
const EXAMPLE_ORDER = [
  'POST /register',
  'POST /login',
  'PATCH /changePassword',
  'POST /forgot-password',
  'POST /reset-password',
  'POST /verify-email',
  'PATCH /profile',
  'DELETE /profile',
]

/** A route that requires a token (GET /session's security also allows none: `{}`). */
const requiresToken = (o: Op) => !!o.op.security && !o.op.security.some((s) => Object.keys(s).length === 0)


let doc: Doc
let ops: Op[]
let checker: Awaited<ReturnType<typeof schemaChecker>>

beforeAll(async () => {
  doc = await fetchDocument()
  ops = operationsOf(doc)
  checker = await schemaChecker(doc)
})

const opFor = (key: string) => {
  const found = ops.find((o) => o.key === key)
  if (!found) throw new Error(`${key} is not documented`)
  return found
}

describe('GET /openapi.json', () => {
  it('answers the document generated from the zod schemas, as JSON', async () => {
    const res = await call('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument(app))))
  })

  it('validates as OpenAPI 3.1 (swagger-parser), every $ref resolving', async () => {
    expect(doc.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy()
  })

  it('has unique operationIds and only names security schemes it defines', () => {
    const ids = ops.map((o) => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    const schemes = Object.keys(doc.components?.securitySchemes ?? {})
    for (const { op } of ops)
      for (const req of op.security ?? []) expect(schemes).toEqual(expect.arrayContaining(Object.keys(req)))
  })

  it('lists every route of the contract with exactly its statuses', () => {
    const documented = Object.fromEntries(
      ops.map((o) => [
        o.key,
        Object.keys(o.op.responses ?? {})
          .map(Number)
          .sort(),
      ]),
    )
    const expected = Object.fromEntries(Object.entries(CONTRACT).map(([k, s]) => [k, [...s].sort()]))
    expect(documented).toEqual(expected)
  })

  it('documents exactly the routes the app serves, no more and no fewer', () => {
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))
    expect([...served].sort()).toEqual(ops.map((o) => o.key).sort())
  })

  it('marks every /api/users operation (and each prefixed health) as an alias of its original', () => {
    for (const { key, op } of ops.filter((o) => /^\/(api\/)?users\//.test(o.path))) {
      const original = key.endsWith('/health') ? 'GET /health' : key.replace('/api/users/', '/users/')
      if (original === key) continue
      expect(op['x-alias-of'], key).toBe(original)
      expect(op.description, key).toContain(`Alias of ${original}`)
      const { operationId, tags, description, 'x-alias-of': _, ...rest } = op
      const { operationId: _id, tags: _tags, description: _d, ...originalRest } = opFor(original).op
      expect(rest, key).toEqual(originalRest)
    }
  })

  it('defines the cookie and Bearer schemes, and the secured routes accept either', () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      cookieAuth: { type: 'apiKey', in: 'cookie', name: '__Host-token' },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    })
    const secured = ops.filter(requiresToken).map((o) => o.key.replace('/api/users/', '/users/'))
    expect(new Set(secured)).toEqual(
      new Set([
        'GET /users/profile',
        'POST /users/logout',
        'GET /users/logout',
        'POST /users/logout-all',
        'POST /users/verify-email/request',
        'PATCH /users/profile',
        'DELETE /users/profile',
      ]),
    )
    for (const o of ops.filter(requiresToken)) expect(o.op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }])
    // The session check takes either, or none.
    for (const key of ['GET /users/session', 'GET /api/users/session'])
      expect(opFor(key).op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }, {}])
  })

  it('documents the three register name shapes as oneOf, and the contract’s shapes', () => {
    const schemas = doc.components!.schemas! as Record<string, Json>
    expect(schemas.RegisterBody.oneOf.map((s: Json) => s.$ref)).toEqual([
      '#/components/schemas/RegisterWithFullNameObject',
      '#/components/schemas/RegisterWithLegacyFullname',
      '#/components/schemas/RegisterWithFullNameString',
    ])
    expect(schemas.RegisterWithLegacyFullname.properties.fullname.required).toEqual(['firstname'])
    expect(schemas.RegisterWithFullNameString.properties.fullName).toMatchObject({ type: 'string', minLength: 3 })
    expect(schemas.FullName.properties.firstName).toMatchObject({ type: 'string', minLength: 3, maxLength: 50 })
    expect(schemas.User.required).toEqual([
      '_id',
      'fullName',
      'email',
      'emailVerified',
      'profilePic',
      'socketId',
      'createdAt',
      'updatedAt',
    ])
    expect(Object.keys(schemas.User.properties)).toEqual(schemas.User.required)
    expect(schemas.FieldError.required).toEqual(['msg', 'param', 'path', 'location'])
    expect(schemas.ValidationError.properties.errors.items.$ref).toBe('#/components/schemas/FieldError')
    expect(schemas.Error.required).toEqual(['status', 'message', 'code'])
    expect(schemas.Error.properties.code.enum).toEqual(ERROR_CODES)
  })

  it('has response examples that match their own schemas', () => {
    for (const o of ops) {
      for (const status of Object.keys(o.op.responses ?? {})) {
        for (const [name, example] of Object.entries(responseExamples(o.op, status))) {
          expect(checker.response(o, status, example.value), `${o.key} ${status} ${name}`).toEqual([])
        }
      }
    }
  })
})

describe('documented examples against the real app', () => {
  it('every request example belongs to one of the operations replayed below', () => {
    const withExamples = ops.filter((o) => Object.keys(requestExamples(o.op)).length > 0).map((o) => o.key)
    const replayed = PREFIXES.flatMap((p) => EXAMPLE_ORDER.map((k) => k.replace(' /', ` ${p}/`)))
    expect(new Set(withExamples)).toEqual(new Set(replayed))
  })

  it.each(PREFIXES)('each request example under %s gets its documented status and body', async (prefix) => {
    const run = crypto.randomUUID().slice(0, 8)
    for (const key of EXAMPLE_ORDER.map((k) => k.replace(' /', ` ${prefix}/`))) {
      const o = opFor(key)
      for (const [name, example] of Object.entries(requestExamples(o.op))) {
        const status = statusFor(o.op, name)
        const auth = requiresToken(o) ? bearer((await registered()).token) : {}
        const res = await send(o.method, o.path, withRun(example.value, run), auth)
        const body = (await res.json()) as Json
        const label = `${key} example "${name}"`
        expect(res.status, label).toBe(Number(status))
        const documented = withRun(responseExamples(o.op, status)[name].value, run) as Json
        if (res.status >= 400) {
          expect(body, label).toEqual(documented)
        } else {
          expect(checker.request(o, withRun(example.value, run)), label).toEqual([])
          expect(checker.response(o, status, body), label).toEqual([])
          // Same user as the example shows, apart from generated values (and, for the secured
          // routes, the email of the user registered for the example).
          if (documented.user)
            expect(body.user, label).toMatchObject({
              fullName: documented.user.fullName,
              ...(requiresToken(o) ? {} : { email: documented.user.email }),
            })
          else expect(body, label).toEqual(documented)
          if (o.op.responses?.[status] && 'headers' in o.op.responses[status]) {
            expect(res.headers.get('Set-Cookie'), label).toMatch(/^__Host-token=/)
          }
        }
      }
    }
  })

  const secured = () => ops.filter(requiresToken)

  it('each secured operation answers its documented 401 without a token', async () => {
    for (const o of secured()) {
      const res = await call(o.path, { method: o.method })
      expect(res.status, o.key).toBe(401)
      expect(await res.json(), o.key).toEqual(responseExamples(o.op, '401').default.value)
    }
  })

  /** A body each secured body route accepts from a freshly registered user. */
  const SECURED_BODIES: Record<string, unknown> = {
    'PATCH /profile': { fullName: 'Ada Lovelace' },
    'DELETE /profile': { password: PASSWORD },
  }
  const success = (o: Op) => Object.keys(o.op.responses ?? {}).find((s) => s.startsWith('2'))!

  it.each(['Bearer', 'cookie'] as const)(
    'each secured operation answers its documented success with a %s token',
    async (kind) => {
      for (const o of secured()) {
        const { token } = await registered()
        const headers = kind === 'Bearer' ? bearer(token) : cookie(token)
        const route = o.key.replace(/ \/(api\/)?users\//, ' /')
        const res = o.op.requestBody
          ? await send(o.method, o.path, SECURED_BODIES[route], headers)
          : await call(o.path, { method: o.method, headers })
        expect(res.status, o.key).toBe(Number(success(o)))
        expect(checker.response(o, success(o), await res.json()), o.key).toEqual([])
      }
    },
  )

  it('each operation without a body or a required token answers its documented 200', async () => {
    for (const o of ops.filter((o) => !requiresToken(o) && !o.op.requestBody)) {
      const res = await call(o.path, { method: o.method })
      expect(res.status, o.key).toBe(200)
      expect(checker.response(o, '200', await res.json()), o.key).toEqual([])
    }
  })

  it('GET /session answers each documented example: the signed-in user, and null', async () => {
    for (const prefix of PREFIXES) {
      const o = opFor(`GET ${prefix}/session`)
      const { token, json: reg } = await registered()
      const signedIn = (await (await call(o.path, { headers: bearer(token) })).json()) as Json
      expect(signedIn).toEqual({ user: reg.user })
      expect(checker.response(o, '200', signedIn)).toEqual([])
      const signedOut = await (await call(o.path)).json()
      expect(signedOut).toEqual(responseExamples(o.op, '200').signedOut.value)
      expect(checker.response(o, '200', signedOut)).toEqual([])
    }
  })
})
