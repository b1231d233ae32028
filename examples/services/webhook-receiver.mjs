// A service that keeps its own copy of the users (a rides backend, a chat server) in MongoDB, from
// the API's user events: docs/migrating.md, "Keeping your other services in sync".
//
//   WEBHOOK_SECRET=whsec_... MONGODB_URI=mongodb://127.0.0.1:27017/myapp node webhook-receiver.mjs
//
// and, in the API's configuration, WEBHOOK_URL=http://127.0.0.1:4000/webhooks/users (https when
// deployed), WEBHOOK_DIALECT=mongoose (the user arrives as the document the old backend stored) and
// the same WEBHOOK_SECRET. Each request is checked with the `standardwebhooks` package, applied
// once (by its webhook-id) and in order (an event older than the last one applied to the user is
// skipped, so a retried update never brings a deleted user back).
import { fileURLToPath } from 'node:url'
import express from 'express'
import { Webhook } from 'standardwebhooks'

/** Event types that leave the user in the collection (signed_out_everywhere: a service with sessions of its own ends them too). */
const UPSERTS = new Set(['user.created', 'user.updated', 'user.signed_out_everywhere'])

/**
 * The receiver, as an Express app. `users` is the mirrored collection (keyed by `_id`), `deliveries`
 * the record of the webhook-ids applied; both MongoDB collections, or anything with their
 * findOne / replaceOne / deleteOne / insertOne. `toId` turns the user's id into the collection's
 * `_id` (an ObjectId for the users imported from MongoDB, whose documents already exist).
 */
export function webhookReceiver({ secret, users, deliveries, path = '/webhooks/users', toId = (id) => id }) {
  const webhook = new Webhook(secret)
  const app = express()
  // The raw bytes: the signature covers the body exactly as it was sent.
  app.post(path, express.raw({ type: 'application/json', limit: '64kb' }), async (req, res, next) => {
    let event
    try {
      event = webhook.verify(req.body, req.headers) // also refuses a timestamp more than 5 minutes off
    } catch {
      return res.status(401).json({ message: 'Invalid signature' })
    }
    try {
      await applyOnce(req.get('webhook-id'), event, { users, deliveries, toId })
      res.status(204).end() // at once: the API waits at most 15 s, then tries again later
    } catch (e) {
      next(e) // a 500: the API retries, with the same webhook-id
    }
  })
  return app
}

/** Applies `event` unless its webhook-id was applied before, or a later event of the user was. */
export async function applyOnce(id, event, { users, deliveries, toId }) {
  if (await deliveries.findOne({ _id: id })) return 'duplicate'
  const user = event.data.user
  const userId = user._id ?? user.id // the `id` dialect names it `id`
  const latest = await deliveries.findOne({ userId }, { sort: { timestamp: -1 } })
  const stale = latest !== null && latest.timestamp > event.timestamp
  if (!stale && event.type === 'user.deleted') await users.deleteOne({ _id: toId(userId) })
  else if (!stale && UPSERTS.has(event.type)) await users.replaceOne({ _id: toId(userId) }, { ...user, _id: toId(userId) }, { upsert: true })
  try {
    await deliveries.insertOne({ _id: id, type: event.type, userId, timestamp: event.timestamp })
  } catch (e) {
    if (e?.code !== 11000) throw e // 11000: the same delivery, applied at the same moment by another request
  }
  return stale ? 'stale' : 'applied'
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { MongoClient, ObjectId } = await import('mongodb')
  const client = await new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/myapp').connect()
  const db = client.db()
  const deliveries = db.collection('webhook_deliveries')
  await deliveries.createIndex({ userId: 1, timestamp: -1 })
  const toId = (id) => (/^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : id)
  const [host, port] = [process.env.HOST ?? '127.0.0.1', Number(process.env.PORT ?? 4000)]
  webhookReceiver({ secret: process.env.WEBHOOK_SECRET, users: db.collection('users'), deliveries, toId }).listen(port, host, () =>
    console.log(`webhook receiver on http://${host}:${port}/webhooks/users`),
  )
}
