import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The base URL of the webhook receiver test/events/webhook-receiver.global.mjs starts. */
    webhookReceiver: string
  }
}
