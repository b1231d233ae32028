import { app } from './app'
import { deliverEvents } from './events/delivery'
import type { EventMessage } from './events/user-events'
import type { Bindings } from './types'

export type { AppType } from './app'

/** The Worker: the API (fetch) and the consumer of the user events' queue (queue). */
export default { fetch: app.fetch, queue: deliverEvents } satisfies ExportedHandler<Bindings, EventMessage>
