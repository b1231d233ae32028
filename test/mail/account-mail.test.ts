// Issue 22, items 1 and 3: what our emails may carry (no text a requester chose, unless the address
// is verified), the hourly cap per mailbox (+tag, Gmail's dots), and the host their links point at.
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDb } from '../../src/db/client'
import { EMAILS_PER_HOUR, mailboxOf, takeEmailQuota } from '../../src/mail/quota'
import { emailLogDuring, mailbox, registeredIn } from '../support/mailbox'
import { fetchWorker, type Json, jsonInit } from '../support/request'
import { PASSWORD, userCount } from '../support/users'

afterEach(() => vi.restoreAllMocks())

const db = createDb(env.DB)
const SPAM = 'Call +1-555-0100 / visit https://evil.example'
const uuid = () => crypto.randomUUID().replaceAll('-', '')

describe('emails to an address that is not verified carry no text the requester chose', () => {
  it('POST /users/register: the verification email greets with no name, and none of the name appears', async () => {
    const box = mailbox()
    const email = `spam-${uuid()}@example.com`
    const res = await box.send('POST', '/users/register', { fullName: { firstName: SPAM, lastName: 'Doe' }, email, password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName.firstName).toBe(SPAM) // stored as typed, only not mailed
    const [mail] = box.to(email)
    expect(mail.text).toMatch(/^Hello,\n\n/)
    expect(mail.html).toMatch(/^<p>Hello,<\/p>/)
    for (const part of [mail.text, mail.html, mail.subject]) {
      expect(part).not.toContain('555-0100')
      expect(part).not.toContain('evil.example')
      expect(part).not.toContain('Doe')
    }
  })

  it('POST /users/forgot-password: the reset email of an unverified account greets with no name', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, '/users', 'unverified') // named "Ada Lovelace"
    await box.send('POST', '/users/forgot-password', { email })
    const mail = box.to(email).at(-1)!
    expect(mail.subject).toBe('Reset your password')
    expect(mail.text).toMatch(/^Hello,\n\n/)
    expect(mail.text).not.toContain('Ada')
  })

  it('POST /users/forgot-password: a verified user is greeted by name', async () => {
    const box = mailbox()
    const { email } = await registeredIn(box, '/users', 'verified')
    expect((await box.send('POST', '/users/verify-email', { token: box.token(email, 'verify') })).status).toBe(200)
    await box.send('POST', '/users/forgot-password', { email })
    const mail = box.to(email).at(-1)!
    expect(mail.text).toMatch(/^Hello Ada,\n\n/)
    expect(mail.html).toMatch(/^<p>Hello Ada,<\/p>/)
  })
})

describe('the hourly email cap counts per mailbox', () => {
  it.each([
    ['Victim+1@Example.com', 'victim@example.com'],
    ['victim+news+x@example.com', 'victim@example.com'],
    ['v.i.c.t.i.m@example.com', 'v.i.c.t.i.m@example.com'], // dots matter outside Gmail
    ['V.ic.Tim+promo@gmail.com', 'victim@gmail.com'],
    ['v.ictim@googlemail.com', 'victim@gmail.com'],
    ['+tag@example.com', '+tag@example.com'],
  ])('mailboxOf(%s) is %s', (address, mailboxKey) => {
    expect(mailboxOf(address)).toBe(mailboxKey)
  })

  it(`POST /users/register of victim+1 … victim+${EMAILS_PER_HOUR + 1}: ${EMAILS_PER_HOUR} emails in the hour, then none; every account is its own`, async () => {
    const box = mailbox()
    const local = `victim-${uuid()}`
    const ids: string[] = []
    const { logged } = await emailLogDuring(async () => {
      for (let i = 1; i <= EMAILS_PER_HOUR + 1; i++) {
        const email = `${local}+${i}@example.com`
        const res = await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
        expect(res.status).toBe(201)
        ids.push(((await res.json()) as Json).user._id)
        expect(await userCount(email)).toBe(1)
      }
    })
    expect(new Set(ids).size).toBe(EMAILS_PER_HOUR + 1)
    expect(box.sent.filter((m) => m.to.startsWith(`${local}+`))).toHaveLength(EMAILS_PER_HOUR)
    expect(box.to(`${local}+${EMAILS_PER_HOUR + 1}@example.com`)).toEqual([])
    // The one skipped is logged, with the account's id only.
    expect(logged).toEqual([{ type: 'email', message: 'verify-email email skipped: hourly cap reached', userId: ids.at(-1) }])
  })

  it('Gmail: dotted spellings and googlemail.com spend the budget of one mailbox', async () => {
    const box = mailbox()
    const local = `gm${uuid()}`
    for (let i = 0; i < EMAILS_PER_HOUR; i++) await takeEmailQuota(db, `${local.slice(0, 4)}.${local.slice(4)}@gmail.com`)
    const email = `${local.slice(0, 2)}.${local.slice(2)}+x@googlemail.com`
    const { result: res, logged } = await emailLogDuring(() =>
      box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD }),
    )
    expect(res.status).toBe(201)
    expect(box.sent).toEqual([])
    expect(logged.map((l) => l.message)).toEqual(['verify-email email skipped: hourly cap reached'])
  })
})

describe('the host of the links', () => {
  const forgot = (box: ReturnType<typeof mailbox>, url: string, email: string) =>
    fetchWorker(new Request(url, jsonInit('POST', { email })), box.bindings)

  it('APP_URL empty: a request whose host is not this machine (Host: evil.example) gets 500, the log names APP_URL, nothing is sent', async () => {
    const box = mailbox({ APP_URL: '' })
    const { email } = await registeredIn(mailbox(), '/users', 'evil-host') // registered through the test host
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await forgot(box, 'http://evil.example/users/forgot-password', email)
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' })
    expect(log.mock.calls.flat().join(' ')).toMatch(/APP_URL is empty, and the request's host \(evil\.example\) is not this machine/)
    expect(box.sent).toEqual([])
  })

  it('APP_URL empty: POST /users/register from such a host writes nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const box = mailbox({ APP_URL: '' })
    const email = `host-${uuid()}@example.com`
    const body = { fullName: 'Ada Lovelace', email, password: PASSWORD }
    const res = await fetchWorker(new Request('https://evil.example/users/register', jsonInit('POST', body)), box.bindings)
    expect(res.status).toBe(500)
    expect(await userCount(email)).toBe(0)
    expect(box.sent).toEqual([])
  })

  it.each(['http://localhost:8787', 'http://127.0.0.1:8799', 'http://[::1]:8787'])(
    'APP_URL empty: on this machine (wrangler dev at %s) the link opens that origin’s demo page',
    async (origin) => {
      const box = mailbox({ APP_URL: '' })
      const { email } = await registeredIn(mailbox(), '/users', 'local')
      expect((await forgot(box, `${origin}/users/forgot-password`, email)).status).toBe(202)
      expect(box.to(email).at(-1)?.text).toMatch(new RegExp(`^${origin.replace(/[.[\]]/g, '\\$&')}/#reset=\\S+$`, 'm'))
    },
  )

  it('APP_URL set: the link opens it, whatever host the request names', async () => {
    const box = mailbox({ APP_URL: 'https://app.example.net/account' })
    const { email } = await registeredIn(mailbox(), '/users', 'app-url')
    expect((await forgot(box, 'http://evil.example/users/forgot-password', email)).status).toBe(202)
    const text = box.to(email).at(-1)?.text ?? ''
    expect(text).toMatch(/^https:\/\/app\.example\.net\/account#reset=\S+$/m)
    expect(text).not.toContain('evil.example')
  })
})
