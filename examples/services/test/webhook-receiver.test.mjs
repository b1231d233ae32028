// The webhook receiver against the API itself: `wrangler dev` (its local queue and consumer) with
// WEBHOOK_URL pointing at the receiver, which mirrors the users into collections kept in memory
// (MongoDB's place in this test only). Then the receiver alone, with requests signed here.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { randomBytes } from 'node:crypto'
import express from 'express'
import { Webhook } from 'standardwebhooks'
import { simulatedEmails } from '../../../e2e/mail.mjs'
import { startWorker } from '../../../e2e/server.mjs'
import { webhookReceiver } from '../webhook-receiver.mjs'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const PASSWORD = 'correct horse battery'

/** The part of a MongoDB collection the receiver uses, over a Map (a copy in, a copy out, like a database). */
class MemoryCollection {
  docs = new Map()
  async findOne(filter, { sort } = {}) {
    const found = [...this.docs.values()].filter((d) => Object.entries(filter).every(([k, v]) => d[k] === v))
    if (sort) {
      const [[key, order]] = Object.entries(sort)
      found.sort((a, b) => (a[key] < b[key] ? -order : a[key] > b[key] ? order : 0))
    }
    return structuredClone(found[0] ?? null)
  }
  async replaceOne({ _id }, doc, { upsert = false } = {}) {
    if (upsert || this.docs.has(_id)) this.docs.set(_id, structuredClone(doc))
  }
  async deleteOne({ _id }) {
    this.docs.delete(_id)
  }
  async insertOne(doc) {
    if (this.docs.has(doc._id)) throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000 })
    this.docs.set(doc._id, structuredClone(doc))
  }
}

/** The receiver on a free port, behind a front door that records every request and can answer 500 instead. */
async function startReceiver() {
  const users = new MemoryCollection()
  const deliveries = new MemoryCollection()
  const requests = [] // { id, status }, in the order they were answered
  const receiver = { users, deliveries, requests, failNext: 0 }
  const app = express()
  app.use((req, res, next) => {
    res.on('finish', () => requests.push({ id: req.get('webhook-id'), status: res.statusCode }))
    if (receiver.failNext > 0) {
      receiver.failNext--
      return res.status(500).end()
    }
    next()
  })
  app.use(webhookReceiver({ secret: SECRET, users, deliveries }))
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  receiver.url = `http://127.0.0.1:${server.address().port}/webhooks/users`
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(resolve)
      server.closeAllConnections() // idle keep-alive connections would hold close() open
    })
  return receiver
}

/** Polls `check` until it returns something truthy (what it returned), or fails after `timeoutMs`. */
async function until(what, check, timeoutMs = 20_000) {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const uniqueEmail = (tag) => `${tag}-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`

describe('the webhook receiver, fed by wrangler dev', () => {
  let receiver
  let worker
  before(async () => {
    receiver = await startReceiver()
    worker = await startWorker({ vars: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_DIALECT: 'mongoose' } })
  })
  after(async () => {
    await worker?.stop()
    await receiver?.close()
  })

  const api = (method, path, body, token) =>
    fetch(`${worker.baseUrl}/users${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
      body: body && JSON.stringify(body),
    })
  /** The events applied for `userId`, oldest first. */
  const applied = async (userId) =>
    [...receiver.deliveries.docs.values()].filter((d) => d.userId === userId).sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))
  const nthEvent = (userId, n) => until(`event ${n} of ${userId}`, async () => (await applied(userId))[n - 1])

  it('register, PATCH /profile, email verification, logout-all and DELETE /profile each deliver their event once, verified', async () => {
    const email = uniqueEmail('mirror')
    const reg = await api('POST', '/register', { fullname: { firstname: 'Ada', lastname: 'Lovelace' }, email, password: PASSWORD })
    assert.equal(reg.status, 201)
    const { user, token } = await reg.json()

    assert.equal((await nthEvent(user._id, 1)).type, 'user.created')
    // The mongoose dialect: the document the old backend stored, as a Mongo mirror keeps it.
    assert.deepEqual(receiver.users.docs.get(user._id), { _id: user._id, fullname: { firstname: 'Ada', lastname: 'Lovelace' }, email, socketId: null })

    assert.equal((await api('PATCH', '/profile', { fullName: 'Ada King' }, token)).status, 200)
    assert.equal((await nthEvent(user._id, 2)).type, 'user.updated')
    assert.deepEqual(receiver.users.docs.get(user._id).fullname, { firstname: 'Ada', lastname: 'King' })

    const mail = await until('the verification email', () => simulatedEmails(readFileSync(worker.output, 'utf8')).find((m) => m.to === email))
    const link = /#verify=(\S+)/.exec(mail.text)[1]
    assert.equal((await api('POST', '/verify-email', { token: link })).status, 200)
    assert.equal((await nthEvent(user._id, 3)).type, 'user.updated')

    assert.equal((await api('POST', '/logout-all', undefined, token)).status, 200)
    assert.equal((await nthEvent(user._id, 4)).type, 'user.signed_out_everywhere')

    const login = await (await api('POST', '/login', { email, password: PASSWORD })).json()
    assert.equal((await api('DELETE', '/profile', { password: PASSWORD }, login.token)).status, 200)
    assert.equal((await nthEvent(user._id, 5)).type, 'user.deleted')
    assert.equal(receiver.users.docs.has(user._id), false)

    // Once each: every request the receiver got was verified (204) and carried a webhook-id of its own.
    await new Promise((r) => setTimeout(r, 2000)) // room for a duplicate to show up
    const ids = (await applied(user._id)).map((d) => d._id)
    const requests = receiver.requests.filter((r) => ids.includes(r.id))
    assert.deepEqual(requests.map((r) => r.status), [204, 204, 204, 204, 204])
    assert.equal(new Set(requests.map((r) => r.id)).size, 5)
  })

  it('a receiver that answers 500 twice, then 204, still gets the event, with the same webhook-id each time', async () => {
    receiver.failNext = 2
    const reg = await api('POST', '/register', { fullName: 'Grace Hopper', email: uniqueEmail('retry'), password: PASSWORD })
    assert.equal(reg.status, 201)
    const { user } = await reg.json()
    // Retried after 5 s, then 10 s (the consumer's backoff).
    const event = await nthEvent(user._id, 1)
    assert.equal(event.type, 'user.created')
    assert.equal(receiver.users.docs.get(user._id).email, user.email)
    const attempts = receiver.requests.slice(-3)
    assert.deepEqual(attempts, [
      { id: event._id, status: 500 },
      { id: event._id, status: 500 },
      { id: event._id, status: 204 },
    ])
  })
})

describe('the webhook receiver on its own', () => {
  let receiver
  before(async () => (receiver = await startReceiver()))
  after(() => receiver.close())

  const webhook = new Webhook(SECRET)
  /** POSTs `payload` to the receiver, signed as the API signs it (or with `headers` instead). */
  async function deliver(id, payload, headers) {
    const body = JSON.stringify(payload)
    const signature = webhook.sign(id, new Date(), body)
    const signed = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signature }
    const res = await fetch(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signed, ...headers }, body })
    return res.status
  }
  const event = (type, user, timestamp = new Date().toISOString()) => ({ type, timestamp, data: { user } })
  const someone = () => ({ _id: randomBytes(12).toString('hex'), fullname: { firstname: 'Ada' }, email: uniqueEmail('solo'), socketId: null })

  it('refuses (401) a request whose signature does not verify, and changes nothing', async () => {
    const user = someone()
    assert.equal(await deliver('msg_forged', event('user.created', user), { 'webhook-signature': 'v1,AAAA' }), 401)
    const stale = String(Math.floor(Date.now() / 1000) - 600) // a replay from 10 minutes ago
    assert.equal(await deliver('msg_replayed', event('user.created', user), { 'webhook-timestamp': stale }), 401)
    assert.equal(receiver.users.docs.has(user._id), false)
  })

  it('applies a webhook-id once: the same delivery again is acknowledged (204) and changes nothing', async () => {
    const user = someone()
    assert.equal(await deliver('msg_created_1', event('user.created', user)), 204)
    assert.equal(await deliver('msg_deleted_1', event('user.deleted', user)), 204)
    assert.equal(await deliver('msg_created_1', event('user.created', user)), 204) // a retry that crossed the first answer
    assert.equal(receiver.users.docs.has(user._id), false)
  })

  it('skips an event older than the last one applied to the user: a late update does not bring a deleted user back', async () => {
    const user = someone()
    const earlier = new Date(Date.now() - 60_000).toISOString()
    assert.equal(await deliver('msg_created_2', event('user.created', user, earlier)), 204)
    assert.equal(await deliver('msg_deleted_2', event('user.deleted', user)), 204)
    assert.equal(await deliver('msg_updated_2', event('user.updated', { ...user, email: 'late@example.com' }, earlier)), 204)
    assert.equal(receiver.users.docs.has(user._id), false)
  })
})
