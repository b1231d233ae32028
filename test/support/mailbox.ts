import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import { BASE, type Json, requester } from './request'
import { PASSWORD, uniqueEmail } from './users'

type Message = { from: string; to: string; subject: string; text: string; html: string }

/**
 * The bindings with EMAIL wrapped in a recorder that forwards every message to the real (simulated)
 * send_email binding: the test reads what was sent, and the binding still accepts it (its answer,
 * with a messageId, is kept too). `overrides` change other bindings (e.g. REQUIRE_EMAIL_VERIFICATION).
 */
export function mailbox(overrides: Record<string, unknown> = {}) {
  const sent: Message[] = []
  const results: { messageId: string }[] = []
  const EMAIL = {
    send: async (message: Message) => {
      sent.push(message)
      const result = await env.EMAIL.send(message)
      results.push(result)
      return result
    },
  }
  const bindings = { ...env, ...overrides, EMAIL }
  const to = (address: string) => sent.filter((m) => m.to === address)
  return {
    sent,
    results,
    bindings,
    to,
    ...requester(bindings),
    /** The token of the last `#verify=` / `#reset=` link emailed to `address` (from the text part). */
    token(address: string, kind: 'verify' | 'reset'): string {
      const text = to(address).at(-1)?.text ?? ''
      const m = new RegExp(`^${BASE.replace(/\./g, '\\.')}/#${kind}=(\\S+)$`, 'm').exec(text)
      if (!m) throw new Error(`no ${kind} link in the last email to ${address}: ${JSON.stringify(text)}`)
      return m[1]
    },
  }
}

export type Mailbox = ReturnType<typeof mailbox>

/** Registers a user through `box` (so its verification email is recorded); its email and token. */
export async function registeredIn(box: Mailbox, prefix = '/users', tag = 'user') {
  const email = uniqueEmail(tag)
  const res = await box.send('POST', `${prefix}/register`, { fullName: 'Ada Lovelace', email, password: PASSWORD })
  const json = (await res.json()) as Json
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(json)}`)
  return { email, token: json.token as string | undefined, user: json.user as Json, body: json, res }
}

/**
 * The email log lines (`{"type":"email",...}`, parsed) the Worker writes while `work` runs: a mail
 * skipped for the hourly cap is logged, not sent. Recorded, so the test asserts them and the report
 * does not print them; other console.log lines (the request log) are dropped meanwhile.
 */
export async function emailLogDuring<T>(work: () => Promise<T>): Promise<{ result: T; logged: Json[] }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    const result = await work()
    const lines = log.mock.calls.map(([line]) => String(line)).filter((l) => l.startsWith('{"type":"email"'))
    return { result, logged: lines.map((l) => JSON.parse(l) as Json) }
  } finally {
    log.mockRestore()
  }
}
