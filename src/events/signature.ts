import { encodeBase64 } from 'hono/utils/encode'

// Standard Webhooks signing (https://www.standardwebhooks.com): what the `standardwebhooks` package
// (and Svix's libraries) verify. The signed content is `<webhook-id>.<webhook-timestamp>.<body>`.

const utf8 = new TextEncoder()

/** The HMAC-SHA256 key of a `whsec_` secret's bytes (imported once per batch, not per message). */
export const signingKey = (key: Uint8Array) =>
  crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])

/**
 * The three headers of one delivery attempt. The id is the event's, the same on every attempt (a
 * receiver deduplicates by it); the timestamp is the attempt's, so a receiver's tolerance window
 * (5 minutes in the libraries) rejects a replay of an old request, never a late retry.
 */
export async function signatureHeaders(key: CryptoKey, id: string, body: string, now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000))
  const mac = await crypto.subtle.sign('HMAC', key, utf8.encode(`${id}.${timestamp}.${body}`))
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${encodeBase64(mac)}` }
}
