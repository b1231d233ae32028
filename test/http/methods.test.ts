// A wrong method on an existing path is a 405 with Allow; an unknown path a 404.
import { createRoute } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { MessageResult } from '../../src/core/schemas'
import { json } from '../../src/docs/responses'
import { allowedMethods } from '../../src/http/methods'
import { createRouter } from '../../src/http/router'
import { call, type Json, PREFIXES, send } from '../support/request'

const NOT_ALLOWED = { status: 405, message: 'Method not allowed', code: 'METHOD_NOT_ALLOWED' }

describe.each(PREFIXES)('a wrong method under %s', (prefix) => {
  it.each([
    ['PUT', '/changePassword', 'PATCH, OPTIONS'],
    ['POST', '/changePassword', 'PATCH, OPTIONS'],
    ['GET', '/register', 'POST, OPTIONS'],
    ['PATCH', '/login', 'POST, OPTIONS'],
    ['PUT', '/profile', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['PUT', '/logout', 'GET, POST, OPTIONS'],
    ['GET', '/logout-all', 'POST, OPTIONS'],
    ['POST', '/health', 'GET, HEAD, OPTIONS'],
  ])('%s %s answers 405 JSON with Allow: %s', async (method, route, allow) => {
    const res = await send(method, `${prefix}${route}`, method === 'GET' ? undefined : {})
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe(allow)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual(NOT_ALLOWED)
  })
})

describe('methods', () => {
  it('POST /health and PUT /openapi.json answer 405 at the root', async () => {
    for (const [method, path] of [['POST', '/health'], ['PUT', '/openapi.json']]) {
      const res = await call(path, { method })
      expect(res.status).toBe(405)
      expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
    }
  })

  it('HEAD /users/register answers 405 with Allow and no body', async () => {
    const res = await call('/users/register', { method: 'HEAD' })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('POST, OPTIONS')
    expect(await res.text()).toBe('')
  })

  it('OPTIONS on an existing path (not a CORS preflight) answers 204 with Allow', async () => {
    const res = await call('/users/login', { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('Allow')).toBe('POST, OPTIONS')
  })

  it('an unknown path stays the JSON 404, whatever the method', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await call('/users/nope', { method })
      expect(res.status, method).toBe(404)
      expect(res.headers.get('Allow')).toBeNull()
      expect(await res.json()).toEqual({ status: 404, message: 'Not found', code: 'NOT_FOUND' })
    }
  })

  it('a dialect renders the 405 in its error convention, Allow kept', async () => {
    const mongoose = await call('/compat/mongoose/users/register')
    expect(mongoose.status).toBe(405)
    expect(mongoose.headers.get('Allow')).toBe('POST, OPTIONS')
    expect(await mongoose.json()).toEqual({ message: 'Method not allowed' })
    const msg = await call('/compat/msg/api/users/changePassword', { method: 'PUT' })
    expect([msg.status, (await msg.json()) as Json]).toEqual([405, { msg: 'Method not allowed' }])
  })

  it('GET /openapi.json documents the 405 the app answers, with its Allow header', async () => {
    const doc = (await (await call('/openapi.json')).json()) as Json
    const documented = doc.components.responses.MethodNotAllowed
    expect(documented.headers.Allow).toBeDefined()
    const res = await call('/users/register')
    expect(await res.json()).toEqual(documented.content['application/json'].examples.default.value)
    expect(doc.info.description).toMatch(/405/)
    expect(doc.paths['/users/logout'].get.description).toMatch(/HEAD.*405/)
  })

  it('a route added later gets its 405 and Allow from its declaration, with no other edit', async () => {
    const remove = createRoute({
      method: 'delete',
      path: '/account',
      operationId: 'deleteAccount',
      responses: { 200: json(MessageResult, 'Deleted.') },
    })
    const probe = createRouter().openapi(remove, (c) => c.json({ message: 'deleted' }, 200))
    const app = createRouter()
    app.use(allowedMethods(app)).route('/users', probe)
    const res = await app.request('/users/account', { method: 'GET' })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('DELETE, OPTIONS')
    expect((await app.request('/users/accounts')).status).toBe(404)
  })
})
