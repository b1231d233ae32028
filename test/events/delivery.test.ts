import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it, vi } from 'vitest'
import type { EventMessage } from '../../src/events/user-events'
import worker from '../../src/index'
import type { Json } from '../support/request'
import { deadLetters, type Delivery, deliveries, hook } from '../support/webhooks'

// The queue consumer (src/events/delivery.ts) against a real HTTP receiver on 127.0.0.1 (started by
// test/support/webhook-receiver.setup.mjs), with batches built by the pool's queue helpers.

const SECRET = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`
const QUEUE = 'users-auth-events'

const payload = (type = 'user.created') => ({
  type,
  timestamp: new Date().toISOString(),
  data: { user: { _id: crypto.randomUUID(), email: 'ada@example.com' } },
})

function eventMessage(url: string, attempts = 1, id = `msg_${crypto.randomUUID().replaceAll('-', '')}`) {
  const body: EventMessage = { id, url, body: JSON.stringify(payload()) }
  return { id: crypto.randomUUID(), timestamp: new Date(), attempts, body }
}

/**
 * Runs the Worker's queue handler on `messages`, configured for `urls`; what it decided for each
 * message, and the lines it logged (console.error, parsed: recorded here, so they are not printed).
 */
async function consume(messages: ReturnType<typeof eventMessage>[], urls: string[], overrides: Json = {}) {
  const batch = createMessageBatch<EventMessage>(QUEUE, messages)
  // getQueueResult names the retried messages, not their delays: those are read off the calls.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'))
  const ctx = createExecutionContext()
  const bindings = { ...env, WEBHOOK_URL: urls.join(','), WEBHOOK_SECRET: SECRET, ...overrides }
  const log = vi.spyOn(console, 'error').mockImplementation(() => {})
  let logged: Json[]
  try {
    await worker.queue(batch, bindings as never)
  } finally {
    logged = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Json)
    log.mockRestore()
  }
  const result = await getQueueResult(batch, ctx)
  const retried = retries.flatMap((spy, i) => spy.mock.calls.map(([options]) => ({ msgId: messages[i].id, delaySeconds: options?.delaySeconds })))
  // Message by message, never the whole batch: one receiver's failure does not repeat another's delivery.
  expect({ ackAll: result.ackAll, retryAll: result.retryBatch.retry }).toEqual({ ackAll: false, retryAll: false })
  expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual(retried.map((r) => r.msgId))
  // Each retry is logged once: the event's id, its receiver's origin (never the path) and the attempt.
  expect(logged.filter((l) => String(l.message).startsWith('Event not delivered'))).toEqual(
    retried.map(({ msgId, delaySeconds }) => {
      const { body, attempts } = messages.find((m) => m.id === msgId)!
      const message = expect.stringMatching(new RegExp(`^Event not delivered \\(.+\\): retry in ${delaySeconds} s$`))
      return { type: 'event', message, id: body.id, receiver: new URL(body.url).origin, attempt: attempts }
    }),
  )
  return { acked: result.explicitAcks, retried, logged }
}

const verified = (d: Delivery) => new Webhook(SECRET).verify(d.body, d.headers)

describe('the user-event consumer (queue handler)', () => {
  it('queue: POSTs the event to its receiver, signed so that standardwebhooks verifies it, and acks it', async () => {
    const url = hook()
    const message = eventMessage(url)
    const result = await consume([message], [url])
    expect(result.acked).toEqual([message.id])
    expect(result.retried).toEqual([])
    const [delivery, ...more] = await deliveries(url)
    expect(more).toEqual([])
    expect(delivery.method).toBe('POST')
    expect(delivery.headers['content-type']).toBe('application/json')
    expect(delivery.headers['webhook-id']).toBe(message.body.id)
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60)
    expect(delivery.body).toBe(message.body.body) // the queued bytes, as they are
    expect(verified(delivery)).toEqual(JSON.parse(message.body.body))
  })

  it('queue: a signature made with another secret does not verify (the receiver can tell a forgery)', async () => {
    const url = hook()
    await consume([eventMessage(url)], [url])
    const [delivery] = await deliveries(url)
    const other = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`
    expect(() => new Webhook(other).verify(delivery.body, delivery.headers)).toThrow(/signature/i)
    expect(() => new Webhook(SECRET).verify(delivery.body.replace('ada@', 'eve@'), delivery.headers)).toThrow(/signature/i)
  })

  it('queue: a receiver that answers 500 is retried after a backoff, and the next attempt has the same webhook-id', async () => {
    const url = hook('fail=2')
    const message = eventMessage(url)
    const first = await consume([message], [url])
    expect(first.retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
    expect(first.acked).toEqual([])
    const second = await consume([{ ...message, attempts: 2 }], [url])
    expect(second.retried).toEqual([{ msgId: message.id, delaySeconds: 10 }])
    const third = await consume([{ ...message, attempts: 3 }], [url])
    expect(third.acked).toEqual([message.id])
    const got = await deliveries(url)
    expect(got).toHaveLength(3)
    expect(new Set(got.map((d) => d.headers['webhook-id']))).toEqual(new Set([message.body.id]))
    for (const d of got) expect(verified(d)).toEqual(JSON.parse(message.body.body))
  })

  it('queue: the wait doubles with each failed attempt, from 5 s up to an hour', async () => {
    const url = hook('fail=1000')
    const messages = [1, 2, 3, 4, 10, 11, 30].map((attempts) => eventMessage(url, attempts))
    const result = await consume(messages, [url])
    expect(result.retried.map((r) => r.delaySeconds)).toEqual([5, 10, 20, 40, 2560, 3600, 3600])
    expect(result.acked).toEqual([])
  })

  it.each([
    ['a 4xx', 'fail=1&status=400'],
    ['a redirect (never followed)', 'fail=1&status=302'],
    ['a 1xx-free 3xx (304)', 'fail=1&status=304'],
  ])('queue: %s is not a delivery: retried', async (_what, query) => {
    const url = hook(query)
    const message = eventMessage(url)
    expect((await consume([message], [url])).retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
    expect(await deliveries(url)).toHaveLength(1)
  })

  // The connection fails as workerd reports it ("Network connection lost."). A real refused
  // connection does the same, but workerd also prints each failed subrequest on its own stderr, as
  // an uncaught exception with a native stack, which no code in the Worker or the test can catch.
  it('queue: an unreachable receiver is retried', async () => {
    const url = hook()
    const message = eventMessage(url)
    const connect = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('Network connection lost.'))
    try {
      const result = await consume([message], [url])
      expect(result.retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
      expect(result.logged.map((l) => l.message)).toEqual(['Event not delivered (Error: Network connection lost.): retry in 5 s'])
      expect(connect.mock.calls.map(([input]) => String(input))).toEqual([url])
    } finally {
      connect.mockRestore()
    }
  })

  it('queue: several receivers, one message each: each is acked or retried on its own', async () => {
    const ok = hook()
    const failing = hook('fail=1')
    const [a, b] = [eventMessage(ok), eventMessage(failing)]
    const result = await consume([a, b], [ok, failing])
    expect(result.acked).toEqual([a.id])
    expect(result.retried).toEqual([{ msgId: b.id, delaySeconds: 5 }])
  })

  it('queue: a message whose URL is no longer in WEBHOOK_URL is retried (kept), never POSTed', async () => {
    const removed = hook()
    const message = eventMessage(removed)
    const result = await consume([message], [hook()])
    expect(result.retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
    expect(await deliveries(removed)).toEqual([])
  })

  it.each([
    ['a malformed WEBHOOK_SECRET', { WEBHOOK_SECRET: 'not-a-secret' }],
    ['an empty WEBHOOK_URL', { WEBHOOK_URL: '' }],
  ])('queue: with %s every message is retried (kept), nothing is POSTed', async (_what, overrides) => {
    const url = hook()
    const message = eventMessage(url)
    const result = await consume([message], [url], overrides)
    expect(result.retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
    expect(await deliveries(url)).toEqual([])
  })

  it(
    'queue: a message never delivered goes to the dead-letter queue after the last retry, whole',
    async () => {
      // Through the real local queue: the test configuration allows 1 retry (wrangler.toml: 30), and
      // nothing can deliver this message (its URL is not in WEBHOOK_URL, empty here), so after the
      // first attempt and one retry 5 s later the queue moves it to users-auth-events-dlq, whose
      // reader (vitest.config.ts) hands it to the receiver.
      const url = hook()
      const message: EventMessage = { id: `msg_${crypto.randomUUID().replaceAll('-', '')}`, url, body: JSON.stringify(payload('user.deleted')) }
      const log = vi.spyOn(console, 'error').mockImplementation(() => {})
      let dead: Delivery[] = []
      let lines: string[] = []
      try {
        await env.EVENTS.send(message)
        dead = await deadLetters(url)
      } finally {
        lines = log.mock.calls.map(([line]) => String(line))
        log.mockRestore()
      }
      expect(dead).toHaveLength(1)
      expect(JSON.parse(dead[0].body)).toEqual(message)
      // Two attempts (the first and its one retry, 5 s later), then the dead-letter queue.
      const attempts = lines.filter((l) => l.includes(message.id)).map((l) => JSON.parse(l))
      expect(attempts.map((l) => l.attempt)).toEqual([1, 2])
      expect(await deliveries(url)).toEqual([])
    },
    40_000,
  )
})
