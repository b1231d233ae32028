import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The base URL of the webhook receiver test/support/webhook-receiver.setup.mjs starts. */
    webhookReceiver: string
  }
}
