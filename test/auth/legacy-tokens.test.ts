// No logout at the switch from the old backend: with LEGACY_JWT_SECRET, a token the old backend issued
// (jsonwebtoken's HS256 `{ _id, iat, exp }`, no kid) works for its imported user until it expires,
// at token version 0 only, and a logout with it revokes it by its hash.
import { hash } from 'bcrypt-ts'
import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DIALECT_NAMES } from '../../src/config/app.config'
import { ndjson, newId, runImport } from '../support/import'
import { bearer, callWith, type Json, jsonInit } from '../support/request'
import { PASSWORD, uniqueEmail } from '../support/users'

afterEach(() => vi.restoreAllMocks())

const LEGACY = 'the-old-backends-secret' // whatever the old backend had: no length rule
const legacy: Json = { LEGACY_JWT_SECRET: LEGACY }
const DAY = 24 * 3600
const now = () => Math.floor(Date.now() / 1000)
const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }
const HASH = await hash(PASSWORD, 4)

/** A user of the old backend, imported (its ObjectId kept): its id and email. */
async function imported() {
  const _id = newId()
  const email = uniqueEmail('legacy')
  const report = await runImport(ndjson({ _id: { $oid: _id }, fullname: { firstname: 'Grace', lastname: 'Hopper' }, email, password: HASH }))
  expect(report.imported).toBe(1)
  return { _id, email }
}

/** What the old backend's `jwt.sign({ _id }, secret, { expiresIn: '24h' })` gave: header { alg, typ }, no kid. */
const oldToken = (claims: Json, secret = LEGACY) => sign({ iat: now() - 60, exp: now() + DAY, ...claims }, secret, 'HS256')

const profile = (token: string, bindings: Json = legacy, path = '/users/profile') => callWith(bindings, path, { headers: bearer(token) })

async function refused(res: Response) {
  expect([res.status, await res.json()]).toEqual([401, UNAUTHORIZED])
}

describe('LEGACY_JWT_SECRET: the old backend’s tokens', () => {
  it('GET /users/profile answers the imported user for their old token', async () => {
    const { _id, email } = await imported()
    const res = await profile(await oldToken({ _id }))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user).toMatchObject({ _id, email })
  })

  it.each(DIALECT_NAMES)('GET /compat/%s/users/profile and DIALECT=%s both answer 200 with the old token', async (name) => {
    const { _id } = await imported()
    const token = await oldToken({ _id })
    for (const res of [await profile(token, legacy, `/compat/${name}/users/profile`), await profile(token, { ...legacy, DIALECT: name })]) {
      expect(res.status).toBe(200)
      expect(JSON.stringify(await res.json())).toContain(_id)
    }
  })

  it('GET /users/session answers the user for the old token (what strict services ask)', async () => {
    const { _id } = await imported()
    const res = await callWith(legacy, '/users/session', { headers: bearer(await oldToken({ _id })) })
    expect(((await res.json()) as Json).user._id).toBe(_id)
  })

  it('without LEGACY_JWT_SECRET nothing changes: the old token is refused', async () => {
    const { _id } = await imported()
    await refused(await profile(await oldToken({ _id }), {}))
  })

  it('POST /users/logout with the old token revokes it (its SHA-256 in the KV blacklist, until it expires)', async () => {
    const { _id } = await imported()
    const exp = now() + 7 * DAY
    const token = await oldToken({ _id, exp })
    expect((await callWith(legacy, '/users/logout', { method: 'POST', headers: bearer(token) })).status).toBe(200)
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
    const id = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const [key] = (await env.BLACKLIST.list({ prefix: `revoked:${id}` })).keys
    expect(key.name).toBe(`revoked:${id}`)
    expect(Math.abs((key.expiration ?? 0) - exp)).toBeLessThanOrEqual(2)
    await refused(await profile(token))
  })

  it('GET /users/profile refuses the old token after the user changes their password', async () => {
    const { _id, email } = await imported()
    const token = await oldToken({ _id })
    const change = await callWith(legacy, '/users/changePassword', jsonInit('PATCH', { email, oldPassword: PASSWORD, newPassword: 'a-brand-new-pass' }))
    expect(change.status).toBe(200)
    await refused(await profile(token))
  })

  it('GET /users/profile refuses every old token after POST /users/logout-all with one of them', async () => {
    const { _id } = await imported()
    const [first, second] = [await oldToken({ _id }), await oldToken({ _id, iat: now() - 120 })]
    expect((await callWith(legacy, '/users/logout-all', { method: 'POST', headers: bearer(first) })).status).toBe(200)
    await refused(await profile(second))
  })

  it('GET /users/profile refuses an expired old token', async () => {
    const { _id } = await imported()
    await refused(await profile(await oldToken({ _id, iat: now() - 2 * DAY, exp: now() - 60 })))
  })

  it('GET /users/profile refuses an old token whose _id is unknown', async () => {
    await refused(await profile(await oldToken({ _id: newId() })))
  })

  it('GET /users/profile refuses an old-format token signed with another secret', async () => {
    const { _id } = await imported()
    await refused(await profile(await oldToken({ _id }, 'some-other-secret')))
  })

  it.each([
    ['no exp (it would never end)', { exp: undefined }],
    ['no iat', { iat: undefined }],
    ['a lifetime over 30 days', { iat: now() - 60, exp: now() + 31 * DAY }],
    ['an iat in the future', { iat: now() + 3600, exp: now() + 2 * DAY }],
    ['our claims (iss, jti, ver): not the old format', { iss: env.JWT_ISSUER, jti: crypto.randomUUID(), ver: 0 }],
    ['a sub beside _id', { sub: 'someone' }],
  ])('GET /users/profile refuses an old token with %s', async (_, claims) => {
    const { _id } = await imported()
    const payload: Json = { _id, iat: now() - 60, exp: now() + DAY, ...claims }
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k]
    await refused(await profile(await sign(payload, LEGACY, 'HS256')))
  })

  it('GET /users/profile refuses an old token with a kid in its header', async () => {
    const { _id } = await imported()
    const k = btoa(LEGACY).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const token = await sign({ _id, iat: now() - 60, exp: now() + DAY }, { kty: 'oct', k, alg: 'HS256', kid: 'old' } as JsonWebKey)
    await refused(await profile(token))
  })

  it('GET /users/profile refuses an old token signed HS512 with the old secret (HS256 only)', async () => {
    const { _id } = await imported()
    await refused(await profile(await sign({ _id, iat: now() - 60, exp: now() + DAY }, LEGACY, 'HS512')))
  })
})
