import { getEventsConfig } from '../config/events.config'
import { userShapes } from '../core/user-shapes'
import type { UserRow } from '../db/schema'
import { toPublicUser } from '../db/users.repository'
import type { Bindings } from '../types'

// The user events other services keep their copy of the users by (docs/migrating.md "Keeping your other
// services in sync"). A route takes the emitter before it writes, so a bad configuration fails
// before anything changes, and emits after the write succeeded, in the same request.

export type UserEventType = 'user.created' | 'user.updated' | 'user.deleted' | 'user.signed_out_everywhere'

/** One queue message: one event for one receiver. `body` is the exact JSON POSTed on every attempt. */
export type EventMessage = { id: string; url: string; body: string }

/** How often a refused send is tried before the request gives up on it (and logs it). */
const SEND_ATTEMPTS = 2

/**
 * The user-event emitter of this environment; its configuration is checked now (a bad one is a
 * 500 before the route writes anything). Without WEBHOOK_URL `emit` does nothing.
 */
export function userEvents(env: Bindings) {
  const config = getEventsConfig(env)
  return {
    /**
     * Queues `types` for `user` (the row as it is after the change; as it was, for user.deleted),
     * one message per event and receiver, in the user shape of WEBHOOK_DIALECT: never a password,
     * a hash or a token. Awaited, so the response means the events are in the queue. A queue that
     * refuses them twice does not fail the request: its change is made, and an error would make
     * the client repeat it; the log names the events (id, type, user) instead.
     */
    async emit(types: UserEventType | UserEventType[], user: UserRow) {
      const { urls, queue, dialect } = config
      const kinds = [types].flat()
      if (urls.length === 0 || !queue || kinds.length === 0) return
      const timestamp = new Date().toISOString()
      const data = { user: userShapes[dialect](toPublicUser(user)) }
      const events = kinds.map((type) => ({ id: `msg_${crypto.randomUUID().replaceAll('-', '')}`, type }))
      const messages = events.flatMap(({ id, type }) => {
        const body = JSON.stringify({ type, timestamp, data })
        return urls.map((url) => ({ body: { id, url, body } satisfies EventMessage }))
      })
      for (let attempt = 1; ; attempt++) {
        try {
          await queue.sendBatch(messages)
          return
        } catch (e) {
          if (attempt < SEND_ATTEMPTS) continue
          const reason = e instanceof Error ? e.message : String(e)
          console.error(JSON.stringify({ type: 'event', message: `User events not queued: ${reason}`, events, userId: user.id }))
          return
        }
      }
    },
  }
}
