import { inject } from 'vitest'

// The webhook receiver of test/support/webhook-receiver.setup.mjs, as the event tests use it.

/** Its base URL on 127.0.0.1. */
export const RECEIVER = inject('webhookReceiver')

export type Delivery = { method: string; headers: Record<string, string>; body: string }

/** A path of the receiver of its own; `query` scripts its answers (`fail=2` answers 500 twice, then 204). */
export const hook = (query = '') => `${RECEIVER}/hooks/${crypto.randomUUID()}${query && `?${query}`}`

/** What the receiver got at `url` (its query left out), in order. */
export const deliveries = async (url: string): Promise<Delivery[]> => (await fetch(`${RECEIVER}/records${new URL(url).pathname}`)).json()

/**
 * What the dead-letter queue's reader (vitest.config.ts) handed over for the messages to `url`,
 * once there is something (the test configuration retries once, 5 s later), or [] after 30 s.
 */
export async function deadLetters(url: string): Promise<Delivery[]> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const dead = await deliveries(`${url}/dead-letter`)
    if (dead.length > 0) return dead
    await new Promise((r) => setTimeout(r, 250))
  }
  return []
}
