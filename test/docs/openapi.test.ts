// GET /openapi.json: generated from the routes, valid OpenAPI 3.1, readable in Swagger UI, and true:
// every documented example, error body and status is what the app answers.
import SwaggerParser from '@apidevtools/swagger-parser'
import { createRoute, z } from '@hono/zod-openapi'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { app } from '../../src/app'
import { ERROR_CODES } from '../../src/core/error-codes'
import { MessageResult } from '../../src/core/schemas'
import { openApiDocument } from '../../src/docs/openapi'
import { json } from '../../src/docs/responses'
import { createRouter } from '../../src/http/router'
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
} from '../support/openapi'
import { bearer, call, callWith, cookie, type Json, PREFIXES, send } from '../support/request'
import { PASSWORD, registered } from '../support/users'

/** The contract: every route, and the statuses it documents (routes without a body list no 413 or 415). */
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
  // The account lifecycle.
  'POST /verify-email/request': [202, 403, 409, 429, ...AUTH],
  'POST /verify-email': [200, 400, 401, ...BODY],
  'POST /forgot-password': [202, 400, ...BODY],
  'POST /reset-password': [200, 400, ...BODY],
  'PATCH /profile': [200, 400, 403, 413, 415, ...AUTH],
  'DELETE /profile': [200, 400, 403, ...BODY, 401],
  // Issue 19: sign-in with a provider.
  'POST /google-login': [200, 201, 400, 401, 404, ...BODY],
  'POST /oidc/{provider}/login': [200, 201, 400, 401, 404, ...BODY],
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
  'GET /.well-known/jwks.json': [200, 500],
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
  'POST /google-login',
  'POST /oidc/{provider}/login',
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
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))
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
        const res = await send(o.method, o.url, withRun(example.value, run), auth)
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
      const res = await call(o.url, { method: o.method })
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
          ? await send(o.method, o.url, SECURED_BODIES[route], headers)
          : await call(o.url, { method: o.method, headers })
        expect(res.status, o.key).toBe(Number(success(o)))
        expect(checker.response(o, success(o), await res.json()), o.key).toEqual([])
      }
    },
  )

  it('each operation without a body or a required token answers its documented 200', async () => {
    for (const o of ops.filter((o) => !requiresToken(o) && !o.op.requestBody)) {
      const res = await call(o.url, { method: o.method })
      expect(res.status, o.key).toBe(200)
      expect(checker.response(o, '200', await res.json()), o.key).toEqual([])
    }
  })

  it('GET /session answers each documented example: the signed-in user, and null', async () => {
    for (const prefix of PREFIXES) {
      const o = opFor(`GET ${prefix}/session`)
      const { token, json: reg } = await registered()
      const signedIn = (await (await call(o.url, { headers: bearer(token) })).json()) as Json
      expect(signedIn).toEqual({ user: reg.user })
      expect(checker.response(o, '200', signedIn)).toEqual([])
      const signedOut = await (await call(o.url)).json()
      expect(signedOut).toEqual(responseExamples(o.op, '200').signedOut.value)
      expect(checker.response(o, '200', signedOut)).toEqual([])
    }
  })
})

const pointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1')

/** Every oneOf/anyOf branch of the document without a title and a type, as a JSON pointer. */
function unnamedBranches(doc: unknown, at = '#'): string[] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => unnamedBranches(v, `${at}/${i}`))
  if (typeof doc !== 'object' || doc === null) return []
  return Object.entries(doc as Json).flatMap(([key, value]) => {
    if (key === 'examples' || key === 'example') return []
    const here = `${at}/${pointer(key)}`
    const unnamed =
      (key === 'oneOf' || key === 'anyOf') && Array.isArray(value)
        ? value.flatMap((branch: Json, i: number) => (typeof branch.title === 'string' && branch.type ? [] : [`${here}/${i}`]))
        : []
    return [...unnamed, ...unnamedBranches(value, here)]
  })
}

/**
 * The name Swagger UI shows for each schema of the document, with where it is: a component's title
 * (or its name), and the title of each inline schema (a `$ref` with a title is its component's).
 */
function schemaNames(doc: Doc): { name: string; at: string }[] {
  const named: { name: string; at: string }[] = []
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${at}/${i}`))
    if (typeof node !== 'object' || node === null) return
    const schema = node as Json
    if (typeof schema.title === 'string' && schema.$ref === undefined) named.push({ name: schema.title, at })
    for (const [key, value] of Object.entries(schema)) if (key !== 'examples' && key !== 'example') visit(value, `${at}/${pointer(key)}`)
  }
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>)) {
    const at = `#/components/schemas/${pointer(name)}`
    if (typeof schema.title !== 'string') named.push({ name, at })
    visit(schema, at)
  }
  visit(doc.paths, '#/paths')
  return named
}

/** Each schema name used more than once (Swagger UI capitalises titles: case aside), with its places. */
function repeatedSchemaNames(doc: Doc): Record<string, string[]> {
  const places: Record<string, string[]> = {}
  for (const { name, at } of schemaNames(doc)) (places[name.toLowerCase()] ??= []).push(at)
  return Object.fromEntries(Object.entries(places).filter(([, at]) => at.length > 1))
}

const unions = (doc: unknown): number => JSON.stringify(doc).match(/"(oneOf|anyOf)":/g)?.length ?? 0

describe('GET /openapi.json names every schema for Swagger UI', () => {
  it('every union branch has a title and a type (Swagger UI shows "any" for one without)', () => {
    expect(unions(doc)).toBeGreaterThan(0)
    expect(unnamedBranches(doc)).toEqual([])
  })

  it('the check above finds an unnamed branch when there is one', () => {
    const route = createRoute({
      method: 'get',
      path: '/either',
      operationId: 'either',
      responses: { 200: json(z.union([z.object({ a: z.string() }), z.string()]), 'One or the other.') },
    })
    const probe = createRouter().openapi(route, (c) => c.json('a', 200))
    expect(unnamedBranches(openApiDocument(probe))).toEqual([
      '#/paths/~1either/get/responses/200/content/application~1json/schema/oneOf/0',
      '#/paths/~1either/get/responses/200/content/application~1json/schema/oneOf/1',
    ])
  })

  it('every schema has a name of its own (Swagger UI lists schemas by title)', () => {
    expect(schemaNames(doc).length).toBeGreaterThan(Object.keys(doc.components!.schemas!).length)
    expect(repeatedSchemaNames(doc)).toEqual({})
  })

  it('the check above finds two schemas of one title', () => {
    const shape = (a: string) => json(z.object({ [a]: z.string() }).openapi({ title: 'same' }), 'A shape.')
    const probe = createRouter()
      .openapi(createRoute({ method: 'get', path: '/a', operationId: 'a', responses: { 200: shape('a') } }), (c) => c.json({ a: '' }, 200))
      .openapi(createRoute({ method: 'get', path: '/b', operationId: 'b', responses: { 200: shape('b') } }), (c) => c.json({ b: '' }, 200))
    expect(repeatedSchemaNames(openApiDocument(probe) as Doc)).toEqual({
      same: ['#/paths/~1a/get/responses/200/content/application~1json/schema', '#/paths/~1b/get/responses/200/content/application~1json/schema'],
    })
  })

  it('the name shapes of register and of PATCH /profile name their operation', () => {
    const schemas = doc.components!.schemas! as Record<string, Json>
    const titles = (body: string) => schemas[body].oneOf.map((s: Json) => schemas[s.$ref.split('/').at(-1)].title)
    expect(titles('RegisterBody')).toEqual(['Register: fullName object', 'Register: legacy fullname object', 'Register: fullName string'])
    expect(titles('UpdateProfileBody')).toEqual([
      'Update profile: fullName object',
      'Update profile: legacy fullname object',
      'Update profile: fullName string',
    ])
  })

  it('documents the user _id as a string: a UUID, or the ObjectId of an imported user', () => {
    const id = (doc.components!.schemas!.User as Json).properties._id
    expect(id).toEqual({ type: 'string', description: 'A UUID, or a 24-hex ObjectId (USER_ID_FORMAT=objectid, and every imported user).' })
  })
})

describe('GET /openapi.json error responses are the real ones', () => {
  it('every error status has examples, each with that status in its body', () => {
    for (const o of ops) {
      for (const status of Object.keys(o.op.responses ?? {}).filter((s) => Number(s) >= 400)) {
        const examples = Object.values(responseExamples(o.op, status))
        expect(examples.length, `${o.key} ${status}`).toBeGreaterThan(0)
        for (const e of examples) expect((e.value as Json).status, `${o.key} ${status}`).toBe(Number(status))
      }
    }
  })

  const bodyRoutes = () => ops.filter((o) => o.op.requestBody)
  /** A token for the body routes that require one (their 401 comes before the body is read). */
  const authFor = async (o: Op): Promise<Record<string, string>> =>
    o.op.security ? { Authorization: `Bearer ${(await registered()).token}` } : {}

  it('each route with a body answers its documented 413 to a body over 16 KiB', async () => {
    expect(bodyRoutes().length).toBeGreaterThan(0)
    for (const o of bodyRoutes()) {
      const res = await call(o.url, {
        method: o.method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(17 * 1024) }),
      })
      expect(res.status, o.key).toBe(413)
      expect(await res.json(), o.key).toEqual(responseExamples(o.op, '413').default.value)
      expect(responseExamples(o.op, '413').default.value).toEqual({
        status: 413,
        message: 'Request body too large (limit 16 KiB)',
        code: 'BODY_TOO_LARGE',
      })
    }
  })

  it('each route with a body answers its documented 415 to a body that is not JSON', async () => {
    for (const o of bodyRoutes()) {
      const res = await call(o.url, { method: o.method, headers: { 'Content-Type': 'text/plain', ...(await authFor(o)) }, body: '{}' })
      expect(res.status, o.key).toBe(415)
      expect(await res.json(), o.key).toEqual(responseExamples(o.op, '415').default.value)
    }
  })

  it('a D1 outage gets one of the documented 503 bodies (register, login, change password, profile)', async () => {
    const { token, email } = await registered()
    const log = vi.spyOn(console, 'error').mockImplementation(() => {}) // each failed query is logged
    const outage = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
    const failing = { bind: () => failing, first: outage, run: outage, all: outage, raw: outage }
    const DB = { prepare: () => failing, batch: outage, exec: outage }
    const cases: [string, RequestInit][] = [
      ['POST /users/register', { method: 'POST', body: JSON.stringify({ fullName: 'Dee Outage', email: `x${email}`, password: 'correct horse battery' }) }],
      ['POST /users/login', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) }],
      ['PATCH /users/changePassword', { method: 'PATCH', body: JSON.stringify({ email, oldPassword: 'correct horse battery', newPassword: 'battery staple horse' }) }],
      ['GET /users/profile', { method: 'GET', headers: { Authorization: `Bearer ${token}` } }],
    ]
    for (const [key, init] of cases) {
      const o = ops.find((op) => op.key === key)!
      const headers = { 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) }
      const res = await callWith({ DB }, o.url, { ...init, headers })
      expect(res.status, key).toBe(503)
      const documented = Object.values(responseExamples(o.op, '503')).map((e) => e.value)
      expect(documented, key).toContainEqual(await res.json())
    }
    log.mockRestore()
  })

  it('each route with a body answers its documented malformed-JSON 400', async () => {
    for (const o of bodyRoutes()) {
      const res = await call(o.url, { method: o.method, headers: { 'Content-Type': 'application/json', ...(await authFor(o)) }, body: '{' })
      expect(res.status, o.key).toBe(400)
      expect(await res.json(), o.key).toEqual(responseExamples(o.op, '400').malformed.value)
    }
  })
})

describe('openApiDocument: the routes are the reference', () => {
  // A router built like the users router: one createRoute, mounted under both prefixes.
  const ping = createRoute({
    method: 'get',
    path: '/ping',
    operationId: 'ping',
    tags: ['users'],
    summary: 'Ping',
    responses: { 200: json(MessageResult, 'Pong.') },
  })
  const router = createRouter().openapi(ping, (c) => c.json({ message: 'pong' }, 200))
  const probe = createRouter().route('/users', router).route('/api/users', router)

  it('a route declared once with createRoute is documented and served under each prefix, with no other edit', async () => {
    const generated = openApiDocument(probe)
    expect(Object.keys(generated.paths ?? {})).toEqual(['/users/ping', '/api/users/ping'])
    expect(generated.paths?.['/users/ping']?.get).toMatchObject({ operationId: 'ping', tags: ['users'], summary: 'Ping' })
    for (const path of ['/users/ping', '/api/users/ping']) {
      const res = await probe.request(path)
      expect(await res.json()).toEqual({ message: 'pong' })
    }
  })

  it('the second mount is documented as an alias of the first, with its own operationId', () => {
    const alias = openApiDocument(probe).paths?.['/api/users/ping']?.get as Json
    expect(alias).toMatchObject({
      operationId: 'pingApiAlias',
      tags: ['users (/api/users alias)'],
      'x-alias-of': 'GET /users/ping',
      description: 'Alias of GET /users/ping: identical behaviour.',
    })
  })
})

describe('GET /openapi.json', () => {
  it('documents the charset 415 and the UTF-8 400 of every route with a body, as the app answers them', async () => {
    const bodyRoutes = operationsOf(await fetchDocument()).filter((o) => o.op.requestBody)
    expect(bodyRoutes.length).toBeGreaterThan(0)
    const { token } = await registered()
    for (const o of bodyRoutes) {
      // A route that takes a token checks it first (401 without one): send a valid one.
      const auth = o.op.security?.length ? bearer(token) : {}
      const latin1 = { 'Content-Type': 'application/json; charset=iso-8859-1', ...auth }
      const res415 = await call(o.url, { method: o.method, headers: latin1, body: '{}' })
      expect(await res415.json(), o.key).toEqual(responseExamples(o.op, '415').charset.value)
      const utf8 = { 'Content-Type': 'application/json', ...auth }
      const res400 = await call(o.url, { method: o.method, headers: utf8, body: new Uint8Array([0x7b, 0xe9, 0x7d]) })
      expect(await res400.json(), o.key).toEqual(responseExamples(o.op, '400').notUtf8.value)
    }
  })
})
