// USER_ID_FORMAT=objectid gives new users the 24-hex ObjectIds that services
// casting ids with mongoose accept; uuid stays the default; another value is a configuration error.
import { ObjectId } from 'bson'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { newUserId, objectId } from '../../src/core/user-ids'
import { bearer, callWith, type Json, jsonInit } from '../support/request'
import { claimsOf, PASSWORD, uniqueEmail, userCount } from '../support/users'

afterEach(() => vi.restoreAllMocks())

const HEX24 = /^[0-9a-f]{24}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const register = (bindings: Json, email = uniqueEmail('ids')) =>
  callWith(bindings, '/users/register', jsonInit('POST', { fullName: 'Ada Lovelace', email, password: PASSWORD }))

describe('objectId', () => {
  it('is 24 lowercase hex that bson accepts, starting with the Unix seconds', () => {
    const at = Date.UTC(2026, 4, 1, 12) // 2026-05-01T12:00:00Z
    const id = objectId(at)
    expect(id).toMatch(HEX24)
    expect(ObjectId.isValid(id)).toBe(true)
    expect(new ObjectId(id).getTimestamp().getTime()).toBe(at)
  })

  it('differs from one call to the next in the same second: the 3-byte counter goes up by one', () => {
    const at = Date.now()
    const [a, b] = [objectId(at), objectId(at)]
    expect(a).not.toBe(b)
    expect(a.slice(0, 18)).toBe(b.slice(0, 18)) // same second, same per-isolate random part
    expect((parseInt(b.slice(18), 16) - parseInt(a.slice(18), 16) + 0x1000000) % 0x1000000).toBe(1)
  })

  it('newUserId gives a UUID for uuid and an ObjectId for objectid', () => {
    expect(newUserId('uuid')).toMatch(UUID)
    expect(newUserId('objectid')).toMatch(HEX24)
  })
})

describe('USER_ID_FORMAT', () => {
  it('POST /users/register gives a UUID by default', async () => {
    const { user } = (await (await register({})).json()) as Json
    expect(user._id).toMatch(UUID)
  })

  it('POST /users/register with objectid gives a 24-hex _id (bson ObjectId.isValid), in the token as sub and _id', async () => {
    const res = await register({ USER_ID_FORMAT: 'objectid' })
    expect(res.status).toBe(201)
    const { user, token } = (await res.json()) as Json
    expect(user._id).toMatch(HEX24)
    expect(ObjectId.isValid(user._id)).toBe(true)
    expect(claimsOf(token)).toMatchObject({ sub: user._id, _id: user._id })
    const profile = await callWith({ USER_ID_FORMAT: 'objectid' }, '/users/profile', { headers: bearer(token) })
    expect(((await profile.json()) as Json).user._id).toBe(user._id)
  })

  it('POST /users/register with another value answers 500 and writes nothing; /health answers 503', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const email = uniqueEmail('ids')
    const res = await register({ USER_ID_FORMAT: 'ObjectId' }, email)
    expect([res.status, await res.json()]).toEqual([500, { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }])
    expect(await userCount(email)).toBe(0)
    const health = await callWith({ USER_ID_FORMAT: 'int' }, '/health')
    expect([health.status, await health.json()]).toEqual([503, { status: 503, message: 'Unavailable: configuration', code: 'HEALTH_CHECK_FAILED' }])
    expect(log.mock.calls.flat().join(' ')).toContain('USER_ID_FORMAT must be one of uuid, objectid')
  })
})
