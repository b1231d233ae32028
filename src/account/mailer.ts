import { sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { emailQuota } from '../db/schema'
import type { Bindings } from '../types'
import { queryFailure } from '../core/errors'

/** No address receives more than this many emails (verification and reset together) per hour. */
export const EMAILS_PER_HOUR = 5
const WINDOW_SECONDS = 3600

export type Mail = { to: string; subject: string; text: string; html: string }

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

/**
 * Sends through the Email Service binding (simulated by `wrangler dev` and the tests: printed, with
 * the text and HTML in temporary files). A failure is logged without the address and never reaches
 * the client: these emails are sent after the response.
 */
export async function deliver(env: Bindings, from: string, mail: Mail): Promise<boolean> {
  try {
    await env.EMAIL.send({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })
    return true
  } catch (e) {
    const reason = e instanceof Error ? e.message.replaceAll(mail.to, '<recipient>') : 'unknown error'
    console.error(`Email not sent (${mail.subject}): ${reason}`)
    return false
  }
}

/**
 * Background work (executionCtx.waitUntil): it runs after the response, so it must never reject.
 * A failure is logged (a D1 query by its SQL only, never the bound values).
 */
export const inBackground = (label: string, work: () => Promise<unknown>) =>
  work().catch((e) => console.error(`${label} failed`, ...queryFailure(e)))

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

/** A plain email: greeting, paragraphs, the link, a closing line; as text and as HTML. */
export function composeMail(to: string, subject: string, name: string, lines: string[], link: string, closing: string): Mail {
  const text = [`Hello ${name},`, ...lines, link, closing].join('\n\n') + '\n'
  const html = [
    `<p>Hello ${escapeHtml(name)},</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    `<p>${escapeHtml(closing)}</p>`,
  ].join('\n')
  return { to, subject, text, html }
}
