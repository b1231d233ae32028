import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { call, type Json } from './support/request'
import { registered } from './support/users'

// Enough cases per property to mean something while keeping `npm test` short.
const RUNS = 1000
const TIMEOUT_MS = 120_000

const BODY_ROUTES = [
  ['POST', '/users/register'],
  ['POST', '/api/users/login'],
  ['PATCH', '/users/changePassword'],
  ['POST', '/users/forgot-password'],
  ['POST', '/api/users/reset-password'],
  ['POST', '/users/verify-email'],
] as const
const AUTH_ROUTES = [
  ['GET', '/users/profile'],
  ['POST', '/users/logout'],
  ['GET', '/api/users/logout'],
  ['POST', '/api/users/logout-all'],
  ['POST', '/users/verify-email/request'],
  ['PATCH', '/api/users/profile'],
  ['DELETE', '/users/profile'],
] as const

/** What must hold for every answer: JSON, never a 500, never a stack trace or SQL. */
async function expectSafe(res: Response) {
  const text = await res.text()
  expect(res.status, text).toBeLessThan(500)
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
  const json = JSON.parse(text) as Json
  if (res.status >= 400) {
    expect(json.status).toBe(res.status)
    expect(typeof json.message).toBe('string')
  }
  expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|SQLITE|D1_ERROR|select |insert into|update "|password_hash/i)
}

// Values shaped like our bodies, with every field replaced by anything at all some of the time.
const anything = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.oneof(fc.double(), fc.bigInt().map(String), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2)),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
)
const emailish = fc.oneof(fc.emailAddress(), fc.string({ unit: 'binary' }), anything)
const nameish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.record({ firstName: fc.oneof(fc.string({ maxLength: 60 }), anything), lastName: fc.oneof(fc.string({ maxLength: 60 }), anything) }, { requiredKeys: [] }),
  anything,
)
const bodyish = fc.oneof(
  fc.record(
    {
      fullName: nameish,
      fullname: fc.record({ firstname: anything, lastname: anything }, { requiredKeys: [] }),
      email: emailish,
      password: fc.oneof(fc.string({ unit: 'binary', maxLength: 90 }), anything),
      oldPassword: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), anything),
      newPassword: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), anything),
      token: fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^[\w-]{1,40}\.\d{1,12}\.[\w-]{43}$/), anything),
    },
    { requiredKeys: [] },
  ),
  anything,
)
const rawBody = fc.oneof(
  bodyish.map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.constantFrom('{', '{"email":', '[', '\u0000', '{"a":1}}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}'),
)

describe('fuzz: arbitrary bodies never produce a 500 or a leak', () => {
  it.each(BODY_ROUTES)('%s %s', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        await expectSafe(await call(path, { method, headers: { 'Content-Type': 'application/json' }, body }))
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT_MS)
})

describe('fuzz: arbitrary Authorization and Cookie headers never produce a 500 or a leak', () => {
  // Printable ASCII: what a header can carry without CR/LF/NUL or encoding quirks.
  const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 400 })
  const jwtLike = fc
    .tuple(fc.base64String(), fc.base64String(), fc.base64String())
    .map((parts) => parts.map((p) => p.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')).join('.'))
  const credential = fc.oneof(headerValue, jwtLike)

  it.each(AUTH_ROUTES)('%s %s', async (method, path) => {
    const { token } = await registered()
    const [h, p] = token.split('.')
    const tampered = fc.string({ maxLength: 43 }).map((s) => `${h}.${p}.${s}`)
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            authorization: fc.oneof(credential, credential.map((c) => `Bearer ${c}`), tampered.map((t) => `Bearer ${t}`)),
            cookie: fc.oneof(credential, credential.map((c) => `__Host-token=${c}`), tampered.map((t) => `__Host-token=${t}`)),
          },
          { requiredKeys: [] },
        ),
        async ({ authorization, cookie }) => {
          const headers: Record<string, string> = {}
          if (authorization !== undefined) headers.Authorization = authorization
          if (cookie !== undefined) headers.Cookie = cookie
          const res = await call(path, { method, headers })
          // Nothing generated here is a valid session: always refused, never 2xx.
          expect([401, 403]).toContain(res.status)
          await expectSafe(res)
        },
      ),
      { numRuns: RUNS },
    )
  }, TIMEOUT_MS)
})

describe('fuzz: well-formed registrations with arbitrary unicode', () => {
  it('register answers 201 (then login 200) or a 400 naming the field, never anything else', async () => {
    const names = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          first: names,
          last: fc.option(names),
          email: fc.emailAddress(),
          password: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
        }),
        async ({ first, last, email, password }) => {
          const unique = `${crypto.randomUUID().slice(0, 8)}.${email}`
          const body = { fullName: { firstName: first, lastName: last }, email: unique, password }
          const res = await call('/users/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
          const json = (await res.clone().json()) as Json
          await expectSafe(res)
          if (res.status === 201) {
            expect(json.user.email).toBe(unique.trim().toLowerCase())
            const login = await call('/users/login', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ email: unique, password }),
            })
            expect(login.status).toBe(200)
          } else {
            expect(res.status).toBe(400)
            expect(json.errors.length).toBeGreaterThan(0)
            for (const e of json.errors) expect(['fullName.firstName', 'fullName.lastName', 'email', 'password']).toContain(e.path)
          }
        },
      ),
      { numRuns: 200 },
    )
  }, TIMEOUT_MS)
})
