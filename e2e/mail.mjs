// The emails `wrangler dev` simulates: the send_email binding prints each message (From, To,
// Subject and the temporary files holding its text and HTML) instead of sending it. A test reads
// the link out of the text file, as a developer would from the terminal.
import { readFileSync } from 'node:fs'
import { devServerOutput } from './harness.mjs'

const MARK = 'send_email binding called with MessageBuilder:'

/** Every simulated message in the dev server's output so far: { to, subject, text }. */
export function simulatedEmails(output = devServerOutput()) {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '')
  return plain
    .split(MARK)
    .slice(1)
    .map((block) => {
      const field = (name) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1].trim()
      const file = field('Text')
      return { to: field('To'), subject: field('Subject'), text: file ? readFileSync(file, 'utf8') : '' }
    })
}

/**
 * The `#verify=` or `#reset=` link of the latest email to `to`, waiting for it to be sent (the API
 * sends after answering). `after` skips the emails that were there before an action; `output`
 * reads another dev server's output than the run's.
 */
export async function linkFromOutput(to, kind, { after = 0, timeoutMs = 15_000, output = devServerOutput } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mails = simulatedEmails(output()).slice(after).filter((m) => m.to === to)
    const link = mails.at(-1)?.text.match(new RegExp(`https?://\\S+#${kind}=\\S+`))?.[0]
    if (link) return link
    if (Date.now() > deadline) throw new Error(`no ${kind} email to ${to} in the dev server's output`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export const emailCount = () => simulatedEmails().length
