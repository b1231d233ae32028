import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { describe, expect, inject, it, vi } from 'vitest'
import type { EventMessage } from '../../src/events/user-events'
import worker from '../../src/index'
import type { Json } from '../support/request'

// The queue consumer (src/events/delivery.ts) against a real HTTP receiver on 127.0.0.1 (started by
// test/support/webhook-receiver.setup.mjs), with batches built by the pool's queue helpers.

const RECEIVER = inject('webhookReceiver')
const SECRET = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`
const QUEUE = 'users-auth-events'

type Delivery = { method: string; headers: Record<string, string>; body: string }

/** A path of the receiver of its own; `query` scripts its answers (`fail=2` answers 500 twice, then 204). */
const hook = (query = '') => `${RECEIVER}/hooks/${crypto.randomUUID()}${query && `?${query}`}`
/** What the receiver got at `url` (its query left out), in order. */
const deliveries = async (url: string): Promise<Delivery[]> => (await fetch(`${RECEIVER}/records${new URL(url).pathname}`)).json()

const payload = (type = 'user.created') => ({
  type,
  timestamp: new Date().toISOString(),
  data: { user: { _id: crypto.randomUUID(), email: 'ada@example.com' } },
})

function eventMessage(url: string, attempts = 1, id = `msg_${crypto.randomUUID().replaceAll('-', '')}`) {
  const body: EventMessage = { id, url, body: JSON.stringify(payload()) }
  return { id: crypto.randomUUID(), timestamp: new Date(), attempts, body }
}

/** Runs the Worker's queue handler on `messages`, configured for `urls`; what it decided for each message. */
async function consume(messages: ReturnType<typeof eventMessage>[], urls: string[], overrides: Json = {}) {
  const batch = createMessageBatch<EventMessage>(QUEUE, messages)
  // getQueueResult names the retried messages, not their delays: those are read off the calls.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'))
  const ctx = createExecutionContext()
  const bindings = { ...env, WEBHOOK_URL: urls.join(','), WEBHOOK_SECRET: SECRET, ...overrides }
  await worker.queue(batch, bindings as never)
  const result = await getQueueResult(batch, ctx)
  const retried = retries.flatMap((spy, i) => spy.mock.calls.map(([options]) => ({ msgId: messages[i].id, delaySeconds: options?.delaySeconds })))
  // Message by message, never the whole batch: one receiver's failure does not repeat another's delivery.
  expect({ ackAll: result.ackAll, retryAll: result.retryBatch.retry }).toEqual({ ackAll: false, retryAll: false })
  expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual(retried.map((r) => r.msgId))
  return { acked: result.explicitAcks, retried }
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

  // workerd prints the refused connection ("Network connection lost") on stderr: that is this test.
  it('queue: an unreachable receiver is retried', async () => {
    const url = 'http://127.0.0.1:9/hooks/nobody-listens'
    const message = eventMessage(url)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect((await consume([message], [url])).retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
      const line = JSON.parse(log.mock.calls.at(-1)![0])
      expect(line).toMatchObject({ type: 'event', id: message.body.id, receiver: 'http://127.0.0.1:9', attempt: 1 })
      expect(line.message).toMatch(/^Event not delivered \(.+\): retry in 5 s$/)
    } finally {
      log.mockRestore()
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
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const result = await consume([message], [hook()])
    vi.restoreAllMocks()
    expect(result.retried).toEqual([{ msgId: message.id, delaySeconds: 5 }])
    expect(await deliveries(removed)).toEqual([])
  })

  it.each([
    ['a malformed WEBHOOK_SECRET', { WEBHOOK_SECRET: 'not-a-secret' }],
    ['an empty WEBHOOK_URL', { WEBHOOK_URL: '' }],
  ])('queue: with %s every message is retried (kept), nothing is POSTed', async (_what, overrides) => {
    const url = hook()
    const message = eventMessage(url)
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const result = await consume([message], [url], overrides)
    vi.restoreAllMocks()
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
        for (const deadline = Date.now() + 30_000; dead.length === 0 && Date.now() < deadline; ) {
          await new Promise((r) => setTimeout(r, 250))
          dead = await deliveries(`${url}/dead-letter`)
        }
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
