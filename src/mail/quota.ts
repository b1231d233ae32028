import { sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { emailQuota } from '../db/schema'

/** No address receives more than this many emails (verification and reset together) per hour. */
export const EMAILS_PER_HOUR = 5
const WINDOW_SECONDS = 3600

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
const addressHash = async (address: string) =>
  hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(address.toLowerCase())))

/**
 * Counts one email to `address` in its hourly window (one atomic UPSERT: concurrent requests cannot
 * both take the last place). Answers whether it may be sent and, when not, how many seconds until
 * the window ends.
 */
export async function takeEmailQuota(db: Db, address: string, now = Date.now()) {
  const at = Math.floor(now / 1000)
  const expired = sql`${emailQuota.windowStart} <= ${at - WINDOW_SECONDS}`
  const row = await db
    .insert(emailQuota)
    .values({ addressHash: await addressHash(address), windowStart: at, count: 1 })
    .onConflictDoUpdate({
      target: emailQuota.addressHash,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${emailQuota.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${at} ELSE ${emailQuota.windowStart} END`,
      },
    })
    .returning()
    .get()
  return { allowed: row.count <= EMAILS_PER_HOUR, retryAfter: Math.max(1, row.windowStart + WINDOW_SECONDS - at) }
}

/** Forgets the windows that have ended (run in the background after a send). */
export const dropEndedQuotas = (db: Db, now = Date.now()) =>
  db
    .delete(emailQuota)
    .where(sql`${emailQuota.windowStart} <= ${Math.floor(now / 1000) - WINDOW_SECONDS}`)
    .run()
