import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { keyId } from '../src/auth/tokens'
import { type Json, PASSWORD, bearer, callWith, jsonInit, registered } from './helpers'

afterEach(() => vi.restoreAllMocks())

const OLD = env.JWT_SECRET // what the test binding signs with
const NEW = 'a-brand-new-secret-that-is-at-least-32-bytes'
const header = (token: string) => JSON.parse(atob(token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))) as Json
const profile = (bindings: Record<string, unknown>, token: string) => callWith(bindings, '/users/profile', { headers: bearer(token) })

describe('JWT_SECRET rotation', () => {
  it('a token names its key in the header (kid), a fingerprint that is not the secret', async () => {
    const { token } = await registered()
    const { alg, typ, kid } = header(token)
    expect({ alg, typ }).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(kid).toBe(await keyId(OLD))
    expect(kid).toMatch(/^[\w-]{12}$/)
    expect(OLD).not.toContain(kid)
    expect(await keyId(NEW)).not.toBe(kid)
  })

  it('GET /users/profile accepts a token signed with the previous secret while JWT_SECRET_PREVIOUS is set', async () => {
    const { token } = await registered() // signed with OLD
    const rotated = { JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }
    const res = await profile(rotated, token)
    expect(res.status).toBe(200)
  })

  it('GET /users/profile refuses that token once JWT_SECRET_PREVIOUS is removed', async () => {
    const { token } = await registered()
    const res = await profile({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: undefined }, token)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' })
  })

  it('POST /users/login after a rotation signs with the new JWT_SECRET, never the previous one', async () => {
    const { email } = await registered()
    const rotated = { JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }
    const login = await callWith(rotated, '/users/login', jsonInit('POST', { email, password: PASSWORD }))
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as Json
    expect(header(token).kid).toBe(await keyId(NEW))
    // Valid with the new secret alone (after the previous one is removed), not with the old one alone.
    expect((await profile({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: undefined }, token)).status).toBe(200)
    expect((await profile({ JWT_SECRET: OLD, JWT_SECRET_PREVIOUS: undefined }, token)).status).toBe(401)
  })

  it('a token with an unknown kid is refused, even when its signature is good', async () => {
    const { token } = await registered()
    const [, payload] = token.split('.')
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    const jwk = { kty: 'oct', k: btoa(OLD).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), alg: 'HS256', kid: 'unknown-key' }
    const forged = await sign(claims, jwk as JsonWebKey, 'HS256')
    expect(header(forged).kid).toBe('unknown-key')
    const res = await profile({}, forged)
    expect(res.status).toBe(401)
  })

  it("a token whose kid names the previous key but is signed with another secret is refused", async () => {
    const { token } = await registered() // kid = OLD's
    const [h, p] = token.split('.')
    const other = await sign(JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))), NEW)
    const mixed = `${h}.${p}.${other.split('.')[2]}` // OLD's kid, NEW's signature over another header
    expect((await profile({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD }, mixed)).status).toBe(401)
  })

  it('a JWT_SECRET_PREVIOUS shorter than 32 bytes fails closed, and the log says why', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { token } = await registered()
    const res = await profile({ JWT_SECRET_PREVIOUS: 'short' }, token)
    expect(res.status).toBe(500)
    expect(log.mock.calls.flat().join(' ')).toMatch(/JWT_SECRET_PREVIOUS must be at least 32 bytes/)
  })

  it('an empty JWT_SECRET_PREVIOUS counts as unset', async () => {
    const { token } = await registered()
    expect((await profile({ JWT_SECRET_PREVIOUS: '' }, token)).status).toBe(200)
  })
})
