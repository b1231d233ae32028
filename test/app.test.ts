// The root app (a JSON 404, /health under every prefix, the headers on every answer) and the typed client.
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import { createClient } from '../src/client'
import type { AuthResult, PasswordChanged, ProfileResult, RegisterRequest, RegisterResult } from '../src/users/users.schemas'
import { BASE, bearer, call, fetchWorker, PREFIXES, send } from './support/request'
import { PASSWORD, registered, uniqueEmail } from './support/users'

describe('app', () => {
  it('GET /health answers 200 { status: "ok" } after its D1 and KV checks', async () => {
    const res = await call('/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it.each(PREFIXES)('GET %s/health is served under the users prefixes too', async (prefix) => {
    const res = await call(`${prefix}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('an unknown route answers 404 { status, message } as JSON', async () => {
    const res = await call('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({ status: 404, message: 'Not found', code: 'NOT_FOUND' })
  })

  it.each(PREFIXES)('an unknown route under %s answers 404 JSON', async (prefix) => {
    const res = await send('POST', `${prefix}/nope`, {})
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ status: 404, message: 'Not found', code: 'NOT_FOUND' })
  })

  it('responses carry the secure headers', async () => {
    const res = await call('/health')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
  })
})

// The client runs its requests through the Worker inside workerd: no network, same app.
const api = createClient(BASE, {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetchWorker(new Request(input, init)),
})

describe('typed client (hc<AppType>)', () => {
  it('register, profile with Bearer, logout: bodies and responses are typed from the routes', async () => {
    const email = uniqueEmail('client')
    const reg = await api.users.register.$post({
      json: { fullName: { firstName: 'Client', lastName: 'Typed' }, email, password: PASSWORD },
    })
    expect(reg.status).toBe(201)
    const created = await reg.json()
    // What the client infers is what the document describes (the token is absent while
    // REQUIRE_EMAIL_VERIFICATION is on).
    expectTypeOf(created).toEqualTypeOf<z.output<typeof RegisterResult>>()
    expect(created.user).toMatchObject({ fullName: { firstName: 'Client', lastName: 'Typed' }, email })
    const token = created.token!

    const profile = await api.users.profile.$get({}, { headers: bearer(token) })
    expect(profile.status).toBe(200)
    const body = await profile.json()
    expectTypeOf(body).toEqualTypeOf<z.output<typeof ProfileResult>>()
    expect(body.user._id).toBe(created.user._id)

    const out = await api.users.logout.$post({}, { headers: bearer(token) })
    expect(await out.json()).toEqual({ message: 'Logged out successfully' })
    expect((await api.users.profile.$get({}, { headers: bearer(token) })).status).toBe(401)
  })

  it('register accepts the three name shapes, and only those, in its types', async () => {
    expectTypeOf<Parameters<typeof api.users.register.$post>[0]['json']>().toEqualTypeOf<RegisterRequest>()
    const shapes: RegisterRequest[] = [
      { fullName: { firstName: 'Legacy', lastName: null }, email: uniqueEmail(), password: PASSWORD },
      { fullname: { firstname: 'Legacy', lastname: 'Shape' }, email: uniqueEmail(), password: PASSWORD },
      { fullName: 'Legacy Shape', email: uniqueEmail(), password: PASSWORD },
    ]
    for (const json of shapes) expect((await api.users.register.$post({ json })).status).toBe(201)
    // @ts-expect-error a body without a name is not a register body
    const res = await api.users.register.$post({ json: { email: uniqueEmail(), password: PASSWORD } })
    expect(res.status).toBe(400)
  })

  it('the /api/users alias has the same typed routes', async () => {
    const email = uniqueEmail('alias')
    expect(
      (await api.api.users.register.$post({ json: { fullName: 'Alias User', email, password: PASSWORD } })).status,
    ).toBe(201)
    const login = await api.api.users.login.$post({ json: { email, password: PASSWORD } })
    expect(login.status).toBe(200)
    expectTypeOf(await login.json()).toEqualTypeOf<z.output<typeof AuthResult>>()
  })

  it('changePassword is typed from its schema, and a body missing a field fails the type check', async () => {
    const email = uniqueEmail('change')
    expect(
      (await api.users.register.$post({ json: { fullName: 'Change Password', email, password: PASSWORD } })).status,
    ).toBe(201)
    const res = await api.users.changePassword.$patch({
      json: { email, oldPassword: PASSWORD, newPassword: 'battery staple horse' },
    })
    expect(res.status).toBe(200)
    expectTypeOf(await res.json()).toEqualTypeOf<z.output<typeof PasswordChanged>>()
    // @ts-expect-error newPassword is required
    const missing = await api.users.changePassword.$patch({ json: { email, oldPassword: PASSWORD } })
    expect(missing.status).toBe(400)
  })

  it('health and /openapi.json are reachable through the client', async () => {
    expect(await (await api.health.$get()).json()).toEqual({ status: 'ok' })
    expect((await api['openapi.json'].$get()).status).toBe(200)
  })
})

// The headers app.ts sets on every answer (the body rules of the same hygiene are in http/body).
describe('request hygiene', () => {
  it('every response with a token or user data has Cache-Control: no-store', async () => {
    const { res: reg, email, token } = await registered()
    const login = await send('POST', '/users/login', { email, password: PASSWORD })
    const profile = await call('/users/profile', { headers: bearer(token) })
    const refused = await call('/users/profile')
    for (const res of [reg, login, profile, refused]) expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  it('secure headers are on every response, errors included', async () => {
    for (const res of [await call('/health'), await call('/nope'), await call('/users/profile')]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=/)
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
    }
  })
})
