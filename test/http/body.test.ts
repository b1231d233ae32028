// Request bodies (requireJson and the body limit, in one place): at most 16 KiB, declared as JSON,
// UTF-8 or refused (never decoded lossily), a well-formed JSON object; every refusal is JSON.
import { describe, expect, it } from 'vitest'
import { call, type Json, PREFIXES, send } from '../support/request'
import { PASSWORD, uniqueEmail, userCount } from '../support/users'

/** A body sent as it is, declared as `type`. */
const raw = (method: string, path: string, body: string, type = 'application/json') =>
  call(path, { method, headers: { 'Content-Type': type }, body })

/** A login with unknown credentials, its body declared as `type`. */
const login = (type: string) => raw('POST', '/users/login', JSON.stringify({ email: uniqueEmail(), password: 'not the password' }), type)

describe('request hygiene', () => {
  it('a 20 KiB body gets 413 JSON', async () => {
    const res = await send('POST', '/users/register', {
      fullName: 'John Doe',
      email: uniqueEmail(),
      password: PASSWORD,
      padding: 'x'.repeat(20 * 1024),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ status: 413, message: 'Request body too large (limit 16 KiB)', code: 'BODY_TOO_LARGE' })
  })

  it('a streamed body without Content-Length is cut off at 16 KiB with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await call('/users/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(413)
    expect(((await res.json()) as Json).status).toBe(413)
  })

  it('a body just under the limit is parsed normally', async () => {
    const res = await send('POST', '/users/login', { email: uniqueEmail(), password: 'x', padding: 'y'.repeat(15 * 1024) })
    expect(res.status).toBe(401)
  })

  it.each([
    ['POST', '/users/register'],
    ['POST', '/users/login'],
    ['PATCH', '/api/users/changePassword'],
  ])('a text/plain %s %s gets 415 JSON', async (method, path) => {
    const res = await call(path, { method, headers: { 'Content-Type': 'text/plain' }, body: '{}' })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
  })

  it('a form-encoded POST (what a cross-site form sends) gets 415', async () => {
    const res = await call('/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.co&password=x',
    })
    expect(res.status).toBe(415)
  })

  it('a POST without Content-Type gets 415', async () => {
    const res = await call('/users/login', { method: 'POST', body: '{}' })
    expect(res.status).toBe(415)
  })

  it('accepts application/json with a charset', async () => {
    const res = await call('/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ email: uniqueEmail(), password: 'x' }),
    })
    expect(res.status).toBe(401)
  })
})

describe('POST /users/login Content-Type spellings', () => {
  it.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json;charset=UTF-8',
    'application/json ; charset=utf-8',
    'application/json;',
    'application/vnd.api+json',
    'application/vnd.api.v2+json',
  ])('reads a body sent as %s as JSON (401 for unknown credentials)', async (type) => {
    const res = await login(type)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' })
  })

  it.each(['text/plain', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data', 'json'])(
    'answers 415 for %s',
    async (type) => {
      const res = await login(type)
      expect(res.status).toBe(415)
      expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
    },
  )
})

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

const ROUTES = [
  ['POST', 'register'],
  ['POST', 'login'],
  ['PATCH', 'changePassword'],
] as const

describe.each(PREFIXES)('malformed bodies under %s', (prefix) => {
  it.each(ROUTES)('%s /%s answers 400 JSON for malformed JSON', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '{"email": "a@b.co", ')
    expect(res.status).toBe(400)
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({ status: 400, message: 'Malformed JSON in request body', code: 'MALFORMED_JSON' })
  })

  it.each(ROUTES)('%s /%s answers 400 JSON for a body that is not a JSON object', async (method, route) => {
    for (const body of ['[]', '"text"', '42', 'null', 'true']) {
      const res = await raw(method, `${prefix}/${route}`, body)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ status: 400, message: 'Request body must be a JSON object', code: 'BODY_NOT_OBJECT' })
    }
  })

  it.each(ROUTES)('%s /%s answers 400 JSON for an empty body', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '')
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).status).toBe(400)
  })

  it.each(ROUTES)('%s /%s answers 415 JSON for a body that is not declared JSON', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '{}', 'text/plain')
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
  })
})
