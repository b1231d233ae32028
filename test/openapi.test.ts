import { createRoute, z } from '@hono/zod-openapi'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { openApiDocument } from '../src/docs/openapi'
import { json } from '../src/docs/responses'
import { MessageResult } from '../src/core/schemas'
import { createRouter } from '../src/http/router'
import { type Doc, fetchDocument, type Op, operationsOf, responseExamples } from './docs.helpers'
import { call, callWith, type Json, registered } from './helpers'

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

const unions = (doc: unknown): number => JSON.stringify(doc).match(/"(oneOf|anyOf)":/g)?.length ?? 0

let doc: Doc
let ops: Op[]

beforeAll(async () => {
  doc = await fetchDocument()
  ops = operationsOf(doc)
})

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
      const res = await call(o.path, {
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
      const res = await call(o.path, { method: o.method, headers: { 'Content-Type': 'text/plain', ...(await authFor(o)) }, body: '{}' })
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
      const res = await callWith({ DB }, o.path, { ...init, headers })
      expect(res.status, key).toBe(503)
      const documented = Object.values(responseExamples(o.op, '503')).map((e) => e.value)
      expect(documented, key).toContainEqual(await res.json())
    }
    log.mockRestore()
  })

  it('each route with a body answers its documented malformed-JSON 400', async () => {
    for (const o of bodyRoutes()) {
      const res = await call(o.path, { method: o.method, headers: { 'Content-Type': 'application/json', ...(await authFor(o)) }, body: '{' })
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
