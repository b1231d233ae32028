import { eventsConfigProblem, getEventsConfig, webhookKey } from '../config/events.config'
import type { Bindings } from '../types'
import { signatureHeaders, signingKey } from './signature'
import type { EventMessage } from './user-events'

// The queue consumer: POSTs each event to its receiver, signed. A receiver that does not answer
// 2xx in time is tried again later, with the same webhook-id; after the consumer's max_retries
// (wrangler.toml) the queue moves the message to its dead-letter queue, where it is kept.

/** The first retry waits this long; each next one twice as long, up to RETRY_MAX_SECONDS. */
export const RETRY_BASE_SECONDS = 5
export const RETRY_MAX_SECONDS = 3600

/** The wait before the next attempt, after `attempts` failed ones: 5 s, 10 s, 20 s, ... 1 h. */
export const retryDelay = (attempts: number) => Math.min(RETRY_BASE_SECONDS * 2 ** (Math.max(attempts, 1) - 1), RETRY_MAX_SECONDS)

/** A receiver must answer within this; it should answer at once and do its work afterwards. */
const RECEIVER_TIMEOUT_MS = 15_000

const originOf = (url: string) => {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

const log = (message: string, fields: Record<string, unknown>) => console.error(JSON.stringify({ type: 'event', message, ...fields }))

/** Why `message` could not be delivered, or undefined when its receiver answered 2xx. */
async function post({ id, url, body }: EventMessage, key: CryptoKey) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(await signatureHeaders(key, id, body)) },
      body,
      redirect: 'manual', // a redirect is not a delivery: the receiver's URL is the configured one
      signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
    })
    await res.body?.cancel()
    return res.ok ? undefined : `HTTP ${res.status}`
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  }
}

/**
 * The Worker's `queue` handler. A message whose URL is no longer in WEBHOOK_URL, or that arrives
 * while the settings are invalid, is retried like a failed delivery (and kept in the dead-letter
 * queue in the end): never POSTed anywhere else, never dropped. The log names the event and the
 * receiver's origin, never the payload or the URL's path (it may hold a token).
 */
export async function deliverEvents(batch: MessageBatch<EventMessage>, env: Bindings) {
  const problem = eventsConfigProblem(env)
  if (problem) log(`Event settings invalid: ${problem}`, {})
  const config = problem ? undefined : getEventsConfig(env)
  const key = config?.urls.length ? await signingKey(webhookKey(config.secret)!) : undefined
  await Promise.all(
    batch.messages.map(async (message) => {
      const { id, url } = message.body
      const failure = !config || !key
        ? 'the event settings are invalid or WEBHOOK_URL is empty'
        : !config.urls.includes(url)
          ? 'its URL is not in WEBHOOK_URL'
          : await post(message.body, key)
      if (!failure) return message.ack()
      const delaySeconds = retryDelay(message.attempts)
      log(`Event not delivered (${failure}): retry in ${delaySeconds} s`, { id, receiver: originOf(url), attempt: message.attempts })
      message.retry({ delaySeconds })
    }),
  )
}
