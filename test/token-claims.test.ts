// Issue 15, item 8: a token signed with the secret is still refused when its claims are not ours.
import { env } from 'cloudflare:workers'
import { sign } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { revokeToken } from '../src/auth/revocation'
import { type Json, bearer, call, claimsOf, registered } from './helpers'

const TTL = Number(env.JWT_TTL_SECONDS) // 86400
const YEAR = 365 * 24 * 3600
const now = () => Math.floor(Date.now() / 1000)
const UNAUTHORIZED = { status: 401, message: 'Unauthorized', code: 'UNAUTHORIZED' }

/** A token for a real user, signed with the test secret, with `claims` replaced. */
async function forged(claims: Json) {
  const { json } = await registered()
  const iat = now()
  const payload = { iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, sub: json.user._id, iat, exp: iat + TTL, jti: crypto.randomUUID(), ver: 0, ...claims }
  return sign(payload, env.JWT_SECRET, 'HS256')
}
const profile = async (token: string) => call('/users/profile', { headers: bearer(token) })
const logout = async (token: string) => call('/users/logout', { method: 'POST', headers: bearer(token) })

describe('token claims', () => {
  it('accepts the lifetime we issue, and a few seconds of clock skew (control)', async () => {
    expect((await profile(await forged({})))).toHaveProperty('status', 200)
    expect((await profile(await forged({ exp: now() + TTL + 5 })))).toHaveProperty('status', 200)
    expect((await profile(await forged({ iat: now() + 5, exp: now() + 5 + TTL })))).toHaveProperty('status', 200)
  })

  it.each([
    ['an exp years ahead', () => ({ exp: now() + 10 * YEAR })],
    ['exp − iat a minute over JWT_TTL_SECONDS', () => ({ exp: now() + TTL + 60 })],
    ['an iat an hour in the future', () => ({ iat: now() + 3600, exp: now() + 3600 + TTL })],
    ['an iat a minute in the future', () => ({ iat: now() + 60, exp: now() + 60 })],
    ['a 600-character jti', () => ({ jti: 'j'.repeat(600) })],
    ['a jti that is not a UUID', () => ({ jti: 'not-a-uuid' })],
    ['a jti that is a UUID with extra text', () => ({ jti: `${crypto.randomUUID()}x` })],
  ])('GET /users/profile refuses a token with %s', async (_, claims) => {
    const res = await profile(await forged(claims()))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(UNAUTHORIZED)
  })

  it('POST /users/logout refuses a token with an exp years ahead (401: its revocation is never written)', async () => {
    const token = await forged({ exp: now() + 10 * YEAR })
    const res = await logout(token)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(UNAUTHORIZED)
    expect(await env.BLACKLIST.list({ prefix: `revoked:${claimsOf(token).jti}` })).toMatchObject({ keys: [] })
  })

  it('POST /users/logout of a token at the edge of the skew stores its revocation until it expires', async () => {
    const exp = now() + TTL + 5
    const token = await forged({ exp })
    expect((await logout(token)).status).toBe(200)
    const { jti } = claimsOf(token)
    const [key] = (await env.BLACKLIST.list({ prefix: `revoked:${jti}` })).keys
    expect(key.expiration).toBeGreaterThanOrEqual(exp - 2)
    expect((await profile(token)).status).toBe(401)
  })
})

describe('revokeToken', () => {
  it('clamps the TTL to what KV accepts: at least 60 s, at most the longest lifetime a valid token can have', async () => {
    const jti = crypto.randomUUID()
    const maxTtl = TTL + 20
    await revokeToken(env.BLACKLIST, { jti, exp: 1e22 }, maxTtl)
    const [key] = (await env.BLACKLIST.list({ prefix: `revoked:${jti}` })).keys
    expect(Math.abs((key.expiration ?? 0) - (now() + maxTtl))).toBeLessThanOrEqual(2)
    const past = crypto.randomUUID()
    await revokeToken(env.BLACKLIST, { jti: past, exp: now() - 10 }, maxTtl)
    const [min] = (await env.BLACKLIST.list({ prefix: `revoked:${past}` })).keys
    expect(Math.abs((min.expiration ?? 0) - (now() + 60))).toBeLessThanOrEqual(2)
  })
})
