import { queryFailure } from '../core/errors'
import type { Bindings } from '../types'

export type Mail = { to: string; subject: string; text: string; html: string }

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

/** A plain email: greeting (by name, or a fixed one), paragraphs, the link, a closing line; as text and as HTML. */
export function composeMail(to: string, subject: string, name: string | undefined, lines: string[], link: string, closing: string): Mail {
  const greeting = name === undefined ? 'Hello,' : `Hello ${name},`
  const text = [greeting, ...lines, link, closing].join('\n\n') + '\n'
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    `<p>${escapeHtml(closing)}</p>`,
  ].join('\n')
  return { to, subject, text, html }
}
