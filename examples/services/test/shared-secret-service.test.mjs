// The old service's unchanged middleware (shared secret, `decoded._id`, mongoose's findById) accepts
// the API's tokens: the API runs with that service's secret as JWT_SECRET and USER_ID_FORMAT=objectid.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { ObjectId } from 'bson'
import jwt from 'jsonwebtoken'
import { createApp } from '../shared-secret-service.mjs'
import { getWith, listen, logout, register, serve } from './api.mjs'

const SECRET = randomBytes(32).toString('base64url') // the old service's JWT_SECRET_KEY

/**
 * In-memory stand-ins for the service's mongoose models, for this test only: `findById` throws a
 * CastError for an id that is not an ObjectId, as mongoose does. The users collection holds the
 * API's users (kept in step by whatever syncs it; here, the test).
 */
const users = new Map()
const models = {
  userModel: {
    async findById(id) {
      if (!ObjectId.isValid(id)) throw Object.assign(new Error(`Cast to ObjectId failed for value "${id}"`), { name: 'CastError' })
      return users.get(String(id)) ?? null
    },
  },
  blacklistTokenModel: { findOne: async () => null },
}

process.env.JWT_SECRET_KEY = SECRET // the service's own setting: the same secret as the API's JWT_SECRET
const run = serve({ JWT_SECRET: SECRET, USER_ID_FORMAT: 'objectid' }, async () => ({ service: await listen(createApp(models)) }))

async function signedUp() {
  const { token, user } = await register(run.api.baseUrl)
  users.set(user._id, user)
  return { token, user }
}
const rides = (token) => getWith(`${run.service.url}/rides/mine`, token)

describe('the unchanged Express middleware, with the shared secret', () => {
  it('jsonwebtoken.verify(token, JWT_SECRET) accepts a token from register: _id === sub === user._id, a valid ObjectId', async () => {
    const { token, user } = await signedUp()
    const decoded = jwt.verify(token, SECRET)
    assert.equal(decoded._id, user._id)
    assert.equal(decoded.sub, user._id)
    assert.ok(ObjectId.isValid(decoded._id), decoded._id)
    assert.match(decoded._id, /^[0-9a-f]{24}$/)
  })

  it('GET /rides/mine answers 200 for the user of a token from register', async () => {
    const { token, user } = await signedUp()
    const res = await rides(token)
    assert.equal(res.status, 200)
    assert.equal(res.body.user._id, user._id)
  })

  it('GET /rides/mine refuses (401) an expired token signed with the shared secret', async () => {
    const { token } = await signedUp()
    const { _id } = jwt.decode(token)
    const expired = jwt.sign({ _id, exp: Math.floor(Date.now() / 1000) - 60 }, SECRET)
    assert.deepEqual(await rides(expired), { status: 401, body: { message: 'Unauthorized' } })
  })

  it('GET /rides/mine refuses (401) a token signed with another secret', async () => {
    const { token } = await signedUp()
    const foreign = jwt.sign(jwt.decode(token), randomBytes(32).toString('base64url'))
    assert.deepEqual(await rides(foreign), { status: 401, body: { message: 'Unauthorized' } })
  })

  it('GET /rides/mine refuses (401) a UUID _id: mongoose cannot cast it (why USER_ID_FORMAT=objectid)', async () => {
    const uuidToken = jwt.sign({ _id: randomUUID() }, SECRET, { expiresIn: '1h' })
    assert.equal((await rides(uuidToken)).status, 401)
  })

  it('GET /rides/mine still accepts a logged-out token until it expires (local verification: the documented trade-off)', async () => {
    const { token } = await signedUp()
    await logout(run.api.baseUrl, token)
    assert.equal((await getWith(`${run.api.baseUrl}/users/session`, token)).body.user, null)
    assert.equal((await rides(token)).status, 200)
  })
})
