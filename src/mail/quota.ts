import { sql } from 'drizzle-orm'
import { hex } from '../core/hex'
import type { Db } from '../db/client'
import { emailQuota } from '../db/schema'

/** No mailbox receives more than this many emails (verification, reset and notices together) per hour. */
export const EMAILS_PER_HOUR = 5
const WINDOW_SECONDS = 3600

/** Gmail ignores dots in the local part, and googlemail.com is the same mailbox as gmail.com. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com'])

/**
 * The inbox an address delivers to, as far as the budget is concerned: lowercased, the `+tag`
 * removed (`victim+1@` and `victim+2@` are one inbox), and for Gmail the dots too (`v.ictim@gmail.com`)
 * and googlemail.com as gmail.com. Accounts are not merged: only their email budget is shared.
 */
export function mailboxOf(address: string): string {
  const at = address.lastIndexOf('@')
  if (at < 1) return address.toLowerCase()
  let local = address.slice(0, at).toLowerCase()
  let domain = address.slice(at + 1).toLowerCase()
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '')
    domain = 'gmail.com'
  }
  return `${local}@${domain}`
}

const mailboxHash = async (address: string) =>
  hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(mailboxOf(address))))

/**
 * Counts one email to `address` in its mailbox's hourly window (one atomic UPSERT: concurrent
 * requests cannot both take the last place). Keyed on the mailbox alone, not also on the exact
 * address: every email to an address is an email to its mailbox, so the mailbox's count is never
 * below the address's, and a second count would refuse nothing more. Answers whether it may be sent
 * and, when not, how many seconds until the window ends.
 */
export async function takeEmailQuota(db: Db, address: string, now = Date.now()) {
  const at = Math.floor(now / 1000)
  const expired = sql`${emailQuota.windowStart} <= ${at - WINDOW_SECONDS}`
  const row = await db
    .insert(emailQuota)
    .values({ addressHash: await mailboxHash(address), windowStart: at, count: 1 })
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
