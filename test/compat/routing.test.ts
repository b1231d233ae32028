// How a dialect is chosen, what every dialect shares, and what the old backends left unsaid. The
// account-lifecycle routes (which no old front end calls) answer in the standard shape, errors
// included, under every dialect, chosen by prefix or by DIALECT.
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { app } from '../../src/app'
import { createClient } from '../../src/client'
import { DIALECT_NAMES, type DialectName } from '../../src/config/app.config'
import { clientOf, cookieToken, emailLike, MODES } from '../support/dialects'
import { BASE, bearer, call, callWith, fetchWorker, type Json, jsonInit } from '../support/request'
import { PASSWORD, registered, uniqueEmail } from '../support/users'

afterEach(() => vi.restoreAllMocks())

const json = async (res: Response) => [res.status, (await res.json()) as Json] as const

/** Each dialect's error body for a status and the standard message and code (the old backends' conventions). */
const ERROR: Record<DialectName, (status: number, message: string, code: string) => readonly [number, Json]> = {
  standard: (status, message, code) => [status, { status, message, code }],
  envelope: (status, message) => [status, { status, message }],
  id: (status, message) => [status, { message }],
  mongoose: (status, message) => [status, { message: status === 500 ? 'An unexpected error occurred.' : message }],
  msg: (status, message) => [status, { msg: message }],
}

describe.each(DIALECT_NAMES)('the %s dialect where its document is silent', (name) => {
  const base = `/compat/${name}`
  const error = ERROR[name]

  it('an unknown route answers 404 in its error shape', async () => {
    expect(await json(await call(`${base}/users/nope`))).toEqual(error(404, 'Not found', 'NOT_FOUND'))
    expect(await json(await call(`${base}/nope`, { method: 'POST' }))).toEqual(error(404, 'Not found', 'NOT_FOUND'))
  })

  it('413, 415 and malformed JSON answer in its error shape', async () => {
    const big = jsonInit('POST', { email: uniqueEmail(), password: PASSWORD, padding: 'x'.repeat(20 * 1024) })
    expect(await json(await call(`${base}/users/login`, big))).toEqual(error(413, 'Request body too large (limit 16 KiB)', 'BODY_TOO_LARGE'))
    const form = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=a' }
    expect(await json(await call(`${base}/users/login`, form))).toEqual(error(415, 'Content-Type must be application/json', 'UNSUPPORTED_MEDIA_TYPE'))
    const broken = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":' }
    expect(await json(await call(`${base}/api/users/login`, broken))).toEqual(error(400, 'Malformed JSON in request body', 'MALFORMED_JSON'))
  })

  it('503 (D1 down) and 500 (a configuration error) answer in its error shape, with nothing leaked', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const brokenDb = { prepare: () => { throw new Error('D1 is down') } } as unknown as D1Database
    expect(await json(await callWith({ DB: brokenDb }, `${base}/health`))).toEqual(error(503, 'Unavailable: D1', 'HEALTH_CHECK_FAILED'))
    const login = jsonInit('POST', { email: uniqueEmail(), password: PASSWORD })
    expect(await json(await callWith({ JWT_SECRET: undefined }, `${base}/users/login`, login))).toEqual(error(500, 'Internal server error', 'INTERNAL_ERROR'))
  })

  it('/health and routes it does not know answer in the standard shape', async () => {
    for (const path of ['/health', '/users/health', '/api/users/health']) {
      expect(await json(await call(`${base}${path}`))).toEqual([200, { status: 'ok' }])
    }
    const [status, doc] = await json(await call(`${base}/openapi.json`))
    expect([status, doc.openapi]).toEqual([200, '3.1.0'])
  })

  it('POST /users/register accepts the three name shapes', async () => {
    const api = clientOf(name, 'prefix')
    for (const name of [{ firstName: 'Ada', lastName: 'Lovelace' }, 'Ada Lovelace']) {
      expect((await api('POST', '/users/register', { fullName: name, email: uniqueEmail(), password: PASSWORD })).status).toBe(201)
    }
    const legacy = { fullname: { firstname: 'Ada', lastname: 'Lovelace' }, email: uniqueEmail(), password: PASSWORD }
    expect((await api('POST', '/api/users/register', legacy)).status).toBe(201)
  })

  it('cookies, CORS and the security headers are the same as at the root', async () => {
    const email = uniqueEmail()
    const body = { fullName: 'Ada Lovelace', email, password: PASSWORD }
    const origin = 'https://app.example.test' // listed in CORS_ORIGINS by vitest.config.ts
    const res = await call(`${base}/users/register`, jsonInit('POST', body, { Origin: origin }))
    expect(res.status).toBe(201)
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-token=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After, X-Request-Id')
    expect(res.headers.get('Vary')).toMatch(/Origin/)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    const preflight = (o: string) =>
      call(`${base}/users/login`, { method: 'OPTIONS', headers: { Origin: o, 'Access-Control-Request-Method': 'POST' } })
    expect((await preflight(origin)).headers.get('Access-Control-Allow-Origin')).toBe(origin)
    expect((await preflight('https://evil.example.net')).headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})

describe('choosing a dialect', () => {
  it('an unknown /compat/<name> answers the JSON 404', async () => {
    for (const path of ['/compat/express/users/profile', '/compat/', '/compat/Mongoose/users/login', '/compat/standard']) {
      expect(await json(await call(path))).toEqual([404, { status: 404, message: 'Not found', code: 'NOT_FOUND' }])
    }
  })

  it('/compat/standard answers exactly what the root answers', async () => {
    const root = await registered('/users')
    const prefixed = await registered('/compat/standard/users')
    expect(Object.keys(prefixed.json)).toEqual(Object.keys(root.json))
    expect(Object.keys(prefixed.json.user)).toEqual(Object.keys(root.json.user))
    const profile = await call('/compat/standard/api/users/profile', { headers: bearer(prefixed.token) })
    expect(await json(profile)).toEqual([200, { user: prefixed.json.user }])
  })

  it('DIALECT renders the unprefixed routes; a /compat/<name> prefix still wins', async () => {
    const email = emailLike('john.doe@example.com')
    const mongooseRoot = clientOf('mongoose', 'DIALECT')
    const reg = await mongooseRoot('POST', '/users/register', { fullname: { firstname: 'John', lastname: 'Doe' }, email, password: PASSWORD })
    const token = cookieToken(reg)!
    const asMongoose = { DIALECT: 'mongoose' }
    const profile = (path: string) => callWith(asMongoose, path, { headers: bearer(token) })
    expect((await json(await profile('/users/profile')))[1]).toEqual(reg.body.user)
    expect((await json(await profile('/compat/standard/users/profile')))[1]).toEqual({ user: expect.objectContaining({ _id: reg.body.user._id, email }) })
    expect((await json(await profile('/compat/id/api/users/profile')))[1]).toEqual({ user: { id: reg.body.user._id, fullName: { firstName: 'John', lastName: 'Doe' }, email } })
  })

  it('an unknown DIALECT is a configuration error: unprefixed requests get 500 and the log says why', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const bogus = { DIALECT: 'express' }
    expect(await json(await callWith(bogus, '/health'))).toEqual([500, { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }])
    expect(log.mock.calls.flat().join(' ')).toMatch(/DIALECT must be one of standard, envelope, id, mongoose, msg/)
    // Like any invalid configuration, it fails closed for every route that reads the configuration.
    const login = jsonInit('POST', { email: uniqueEmail(), password: PASSWORD })
    expect((await callWith(bogus, '/compat/standard/users/login', login)).status).toBe(500)
  })

  it('the prefix is stripped before routing: no route is mounted again', () => {
    expect(app.routes.length).toBeGreaterThan(0)
    expect(app.routes.filter((r) => r.path.includes('compat'))).toEqual([])
  })
})

describe('the typed client and the demo use /compat/standard whatever DIALECT says; /docs names it first unless the root speaks standard', () => {
  const asMongoose = { ...env, DIALECT: 'mongoose' }

  it('createClient() reaches /compat/standard and gets the standard shapes with DIALECT=mongoose', async () => {
    const urls: string[] = []
    const api = createClient(`${BASE}/`, {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init)
        urls.push(new URL(request.url).pathname)
        return fetchWorker(request, asMongoose)
      },
    })
    const email = uniqueEmail('client')
    const reg = await api.users.register.$post({ json: { fullName: 'Client Typed', email, password: PASSWORD } })
    expect(reg.status).toBe(201)
    const created = await reg.json()
    expect(created).toEqual({ message: 'User registered successfully', user: expect.objectContaining({ email }), token: expect.any(String) })
    const profile = await api.users.profile.$get({}, { headers: bearer(created.token!) })
    expect(await profile.json()).toEqual({ user: created.user })
    expect(urls).toEqual(['/compat/standard/users/register', '/compat/standard/users/profile'])
  })

  it('with DIALECT=mongoose the OpenAPI document lists /compat/standard first, so "Try it out" gets the documented shapes', async () => {
    const doc = (await (await fetchWorker(new Request(`${BASE}/openapi.json`), asMongoose)).json()) as Json
    expect(doc.servers.map((s: Json) => s.url)).toEqual(['/compat/standard', '/'])
    const init = jsonInit('POST', { fullName: 'Docs Reader', email: uniqueEmail(), password: PASSWORD })
    const res = await fetchWorker(new Request(`${BASE}${doc.servers[0].url}/users/register`, init), asMongoose)
    expect(Object.keys((await json(res))[1])).toEqual(['message', 'user', 'token'])
  })

  it('with the standard DIALECT the OpenAPI document lists the root first: "Try it out" calls the documented path', async () => {
    const doc = (await (await call('/openapi.json')).json()) as Json
    expect(doc.servers.map((s: Json) => s.url)).toEqual(['/', '/compat/standard'])
    // As Swagger UI joins them: the server URL without its trailing slash, then the documented path.
    const url = `${BASE}${doc.servers[0].url.replace(/\/$/, '')}/users/register`
    expect(new URL(url).pathname).toBe('/users/register')
    const init = jsonInit('POST', { fullName: 'Docs Reader', email: uniqueEmail(), password: PASSWORD })
    const res = await fetchWorker(new Request(url, init))
    expect(Object.keys((await json(res))[1])).toEqual(['message', 'user', 'token'])
  })
})

const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const FORGOT = { message: 'If an account exists for this email, a reset link has been sent' }

describe.each(DIALECT_NAMES.flatMap((name) => MODES.map((mode) => [name, mode] as const)))('%s dialect by %s', (name, mode) => {
  const client = clientOf(name, mode)

  it('POST /users/forgot-password answers the standard 202, and its 400 keeps errors[]', async () => {
    expect(await client('POST', '/users/forgot-password', { email: uniqueEmail() })).toMatchObject({ status: 202, body: FORGOT })
    const invalid = await client('POST', '/users/forgot-password', { email: 'not-an-email' })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toEqual({
      status: 400,
      message: 'Validation failed',
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'email', msg: 'Email must be a valid email address' })],
    })
  })

  it('POST /api/users/verify-email/request without a valid token answers the standard 401', async () => {
    expect(await client('POST', '/api/users/verify-email/request', {}, { Authorization: 'Bearer not.a.jwt' })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    })
  })

  it('POST /users/reset-password with a bad link answers the standard 400', async () => {
    const res = await client('POST', '/users/reset-password', { token: 'x.1.y', newPassword: 'a new password 1' })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ status: 400, message: expect.any(String), code: 'LINK_INVALID' })
  })

  it('PATCH and DELETE /users/profile answer { user } and the standard 401 for a wrong password', async () => {
    const { token } = await registered()
    const auth = { Authorization: `Bearer ${token}` }
    const renamed = await client('PATCH', '/users/profile', { fullName: 'Jane Roe' }, auth)
    expect(renamed.status).toBe(200)
    expect(renamed.body.user.fullName).toEqual({ firstName: 'Jane', lastName: 'Roe' })
    const refused = await client('DELETE', '/users/profile', { password: `${PASSWORD} wrong` }, auth)
    expect(refused).toMatchObject({ status: 401, body: { status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' } })
  })
})
