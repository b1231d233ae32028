// Issue 22, item 7: with REQUIRE_EMAIL_VERIFICATION=true register no longer tells whether an email
// has an account (the owner is emailed instead), and names refuse the invisible characters that
// were still let through (bidi marks, zero-width characters inside a name, tag characters).
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { createDb } from '../../src/db/client'
import { EMAILS_PER_HOUR, takeEmailQuota } from '../../src/mail/quota'
import { REGISTERED_UNVERIFIED } from '../../src/users/users.routes'
import { emailLogDuring, mailbox } from '../support/mailbox'
import { bearer, call, type Json, jsonInit, send } from '../support/request'
import { PASSWORD, registered, uniqueEmail, userCount, userRow } from '../support/users'

afterEach(() => vi.restoreAllMocks())

const db = createDb(env.DB)
const required = () => mailbox({ REQUIRE_EMAIL_VERIFICATION: 'true' })
const NOTICE = 'Someone tried to register with your address'

describe('REQUIRE_EMAIL_VERIFICATION=true: POST /users/register answers a taken email like a new one', () => {
  it('201 with the same body shape, no cookie, after the same bcrypt work; the account is untouched', async () => {
    const box = required()
    const hash = vi.spyOn(passwords, 'hash')
    const email = uniqueEmail('taken')
    const first = await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
    const owner = ((await first.json()) as Json).user
    const again = await box.send('POST', '/users/register', { fullName: 'Eve Intruder', email, password: 'eve-password-1' })
    expect(again.status).toBe(201)
    expect(again.headers.get('Set-Cookie')).toBeNull()
    const body = (await again.json()) as Json
    expect(Object.keys(body)).toEqual(['message', 'user'])
    expect(body.message).toBe(REGISTERED_UNVERIFIED)
    expect(Object.keys(body.user).sort()).toEqual(Object.keys(owner).sort())
    expect(body.user).toMatchObject({ fullName: { firstName: 'Eve', lastName: 'Intruder' }, email, emailVerified: false })
    expect(body.user._id).toMatch(/^[0-9a-f-]{36}$/)
    expect(body.user._id).not.toBe(owner._id)
    expect(hash).toHaveBeenCalledTimes(2) // one hash per request, taken or not
    expect(await userCount(email)).toBe(1)
    expect(await userRow(owner._id)).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' })
    expect((await box.send('POST', '/users/login', { email, password: 'eve-password-1' })).status).toBe(401)
  })

  it('emails the owner that someone tried, with no text of the attempt and no name while unverified', async () => {
    const box = required()
    const email = uniqueEmail('owner')
    await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
    await box.send('POST', '/users/register', { fullName: { firstName: 'Call +1-555-0100 now' }, email, password: 'eve-password-1' })
    const [verification, notice] = box.to(email)
    expect(verification.subject).toBe('Verify your email address')
    expect(notice.subject).toBe(NOTICE)
    expect(notice.text).toMatch(/^Hello,\n\n/)
    expect(notice.text).toContain('"Forgot password"')
    expect(notice.text).not.toContain('555-0100')
    expect(notice.text).not.toMatch(/#(verify|reset)=/) // no link token: nothing to click that changes the account
  })

  it('the notice counts against the mailbox’s hourly budget', async () => {
    const box = required()
    const email = uniqueEmail('budget')
    await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD }) // 1
    for (let i = 1; i < EMAILS_PER_HOUR; i++) await takeEmailQuota(db, email)
    const { result: again, logged } = await emailLogDuring(() =>
      box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD }),
    )
    expect(again.status).toBe(201)
    expect(box.to(email).map((m) => m.subject)).toEqual(['Verify your email address'])
    expect(logged).toEqual([{ type: 'email', message: 'register-attempt email skipped: hourly cap reached', userId: expect.any(String) }])
  })

  it('with REQUIRE_EMAIL_VERIFICATION=false a taken email still answers 409 (register issues a session there)', async () => {
    const box = mailbox()
    const email = uniqueEmail('conflict')
    await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
    const again = await box.send('POST', '/users/register', { fullName: 'Ada Lovelace', email, password: PASSWORD })
    expect(again.status).toBe(409)
    expect(await again.json()).toEqual({ status: 409, message: 'User already exists', code: 'USER_EXISTS' })
    expect(box.to(email)).toHaveLength(1)
  })
})

/** One 400 on `path` whose message matches `msg`, and no user written. */
async function expectRefused(fullName: Json, path: string, msg: RegExp) {
  const email = uniqueEmail()
  const res = await send('POST', '/users/register', { fullName, email, password: PASSWORD })
  expect(res.status).toBe(400)
  expect(((await res.json()) as Json).errors).toEqual([{ msg: expect.stringMatching(msg), param: path, path, location: 'body' }])
  expect(await userCount(email)).toBe(0)
}

describe('POST /users/register refuses invisible characters inside a name', () => {
  it.each([
    ['a left-to-right mark (U+200E)', 'Ali\u200ece'],
    ['a right-to-left mark (U+200F)', 'Ali\u200fce'],
    ['an Arabic letter mark (U+061C)', 'محم\u061cد'],
  ])('%s: control characters', async (_, name) => {
    await expectRefused({ firstName: name, lastName: 'Doe' }, 'fullName.firstName', /^First name must not contain control characters$/)
  })

  it.each([
    ['a zero-width space (U+200B)', 'Jo\u200bhn'],
    ['a zero-width space at the end (not trimmed)', 'John\u200b'],
    ['a word joiner (U+2060)', 'Jo\u2060hn'],
    ['a zero-width no-break space (U+FEFF)', 'Jo\ufeffhn'],
    ['a zero-width non-joiner in a Latin name (U+200C)', 'Jo\u200chn'],
    ['a zero-width joiner in a Latin name (U+200D)', 'Jo\u200dhn'],
    ['a zero-width non-joiner before an Arabic name', '\u200cمحمد'],
    ['a tag character (U+E0041)', 'John\u{e0041}'],
    ['a cancel tag (U+E007F)', 'Jo\u{e007f}hn'],
  ])('%s: zero-width or tag characters', async (_, name) => {
    await expectRefused({ firstName: 'John', lastName: name }, 'fullName.lastName', /^Last name must not contain zero-width or tag characters$/)
  })

  it.each([
    ['Persian with a zero-width non-joiner between letters', 'فاطمه‌زهرا'],
    ['Hindi with a zero-width joiner after a virama', 'क्‍षितिज'],
    ['Malayalam with a zero-width non-joiner after a virama', 'കാര്‌ത്തിക്'],
  ])('keeps accepting %s', async (_, firstName) => {
    const res = await send('POST', '/users/register', { fullName: { firstName, lastName: 'Doe' }, email: uniqueEmail(), password: PASSWORD })
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.fullName.firstName).toBe(firstName)
  })

  it('PATCH /users/profile applies the same rule', async () => {
    const { token } = await registered()
    const res = await call('/users/profile', jsonInit('PATCH', { fullName: { firstName: 'Jo\u200bhn' } }, bearer(token)))
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors[0].path).toBe('fullName.firstName')
  })
})
