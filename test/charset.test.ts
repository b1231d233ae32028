// Issue 15, item 3: a body is UTF-8 JSON, or it is refused; never decoded lossily.
import { describe, expect, it } from 'vitest'
import { fetchDocument, operationsOf, responseExamples } from './docs.helpers'
import { PASSWORD, bearer, call, registered, send, uniqueEmail, userCount } from './helpers'

const BODY_ROUTES = [
  ['POST', '/users/register'],
  ['POST', '/users/login'],
  ['PATCH', '/api/users/changePassword'],
] as const

const WRONG_CHARSET = { status: 415, message: 'Content-Type charset must be utf-8', code: 'UNSUPPORTED_CHARSET' }
const NOT_UTF8 = { status: 400, message: 'Request body must be valid UTF-8', code: 'INVALID_UTF8' }

/** A JSON body whose `password` is Latin-1 bytes: `é` as the single byte 0xE9, not valid UTF-8. */
function latin1Body(fields: Record<string, string>, password: string) {
  const json = JSON.stringify({ ...fields, password: '\u0000' })
  const [before, after] = json.split('\\u0000')
  const bytes = [...new TextEncoder().encode(before), ...[...password].map((ch) => ch.charCodeAt(0)), ...new TextEncoder().encode(after)]
  return new Uint8Array(bytes)
}

const login = (type: string) =>
  call('/users/login', { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify({ email: uniqueEmail(), password: 'not the password' }) })

describe('Content-Type charset', () => {
  it.each([
    'application/json; charset=iso-8859-1',
    'application/json; charset=ISO-8859-1',
    'application/json;charset="latin1"',
    'application/json; charset=utf-16',
    'application/json; charset=windows-1252',
    'application/vnd.api+json; charset=us-ascii',
    'application/json; charset=utf-8; charset=iso-8859-1',
    'application/json; charset=iso-8859-1; charset=utf-8',
  ])('POST /users/login answers 415 for %s', async (type) => {
    const res = await login(type)
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual(WRONG_CHARSET)
  })

  it.each([
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; Charset="Utf-8"',
    'application/json; charset=utf-8; foo=bar',
  ])('POST /users/login reads a body sent as %s (401 for unknown credentials)', async (type) => {
    const res = await login(type)
    expect(res.status).toBe(401)
  })

  it.each(BODY_ROUTES)('%s %s answers 415 for a Latin-1 charset and writes nothing', async (method, path) => {
    const email = uniqueEmail()
    const body = JSON.stringify({ fullName: 'John Doe', email, password: PASSWORD, oldPassword: PASSWORD, newPassword: 'new password 1' })
    const res = await call(path, { method, headers: { 'Content-Type': 'application/json; charset=iso-8859-1' }, body })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual(WRONG_CHARSET)
    expect(await userCount(email)).toBe(0)
  })
})

describe('strict UTF-8 decoding', () => {
  it.each(BODY_ROUTES)('%s %s answers 400 for bytes that are not UTF-8', async (method, path) => {
    const email = uniqueEmail()
    const body = latin1Body({ email, oldPassword: PASSWORD, newPassword: 'new password 1' }, 'caf\u00e9-au-lait')
    const res = await call(path, { method, headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(NOT_UTF8)
  })

  it('POST /users/register refuses a Latin-1 password, so two of them cannot log in as each other', async () => {
    const email = uniqueEmail()
    const register = latin1Body({ fullName: 'Latin One', email }, 'caf\u00e9-cr\u00e8me')
    const res = await call('/users/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: register })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(NOT_UTF8)
    expect(await userCount(email)).toBe(0)
    const other = latin1Body({ email }, 'na\u00efve-pass')
    expect((await call('/users/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: other })).status).toBe(400)
  })

  it('POST /users/register accepts non-ASCII UTF-8, and the same password logs in', async () => {
    const email = uniqueEmail()
    const password = 'pässwörd-ünïcødé-日本'
    expect((await send('POST', '/users/register', { fullName: 'Zoë Ünal', email, password })).status).toBe(201)
    expect((await send('POST', '/users/login', { email, password })).status).toBe(200)
    expect((await send('POST', '/users/login', { email, password: 'p\ufffdssw\ufffdrd-\ufffdn\ufffdc\ufffdd\ufffd-日本' })).status).toBe(401)
  })

  it('a UTF-8 byte order mark before the JSON is read as before', async () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify({ email: uniqueEmail(), password: 'x' }))])
    const res = await call('/users/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(401)
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
      const res415 = await call(o.path, { method: o.method, headers: latin1, body: '{}' })
      expect(await res415.json(), o.key).toEqual(responseExamples(o.op, '415').charset.value)
      const utf8 = { 'Content-Type': 'application/json', ...auth }
      const res400 = await call(o.path, { method: o.method, headers: utf8, body: new Uint8Array([0x7b, 0xe9, 0x7d]) })
      expect(await res400.json(), o.key).toEqual(responseExamples(o.op, '400').notUtf8.value)
    }
  })
})
