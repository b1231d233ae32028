// Issue 22, item 4: pre-registration takeover. With REQUIRE_EMAIL_VERIFICATION=true an attacker
// registers the victim's address with the attacker's password; the victim's click on the emailed
// link must not make that password usable. The link proves the inbox, the password proves who chose
// it: verification asks for both, and the email sends a recipient who did not register to "Forgot
// password", which makes the account theirs.
import { describe, expect, it } from 'vitest'
import { VERIFY_NEEDS_PASSWORD } from '../../src/account/account.schemas'
import { mailbox, type Mailbox, registeredIn } from '../support/mailbox'
import type { Json } from '../support/request'
import { PASSWORD, userRow } from '../support/users'

const ATTACKER_PASSWORD = 'attacker-chose-this'
const VICTIM_PASSWORD = 'victim-chose-this'
const required = () => mailbox({ REQUIRE_EMAIL_VERIFICATION: 'true' })
const login = (box: Mailbox, email: string, password: string) => box.send('POST', '/users/login', { email, password })
const verify = (box: Mailbox, body: Json) => box.send('POST', '/users/verify-email', body)

describe('REQUIRE_EMAIL_VERIFICATION=true: POST /users/verify-email needs the account’s password', () => {
  it('the token alone answers 400 on `password` and verifies nothing', async () => {
    const box = required()
    const { email, user } = await registeredIn(box)
    const res = await verify(box, { token: box.token(email, 'verify') })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status: 400,
      message: 'Validation failed',
      code: 'VALIDATION_FAILED',
      errors: [{ msg: VERIFY_NEEDS_PASSWORD, param: 'password', path: 'password', location: 'body' }],
    })
    expect((await userRow(user._id))?.email_verified).toBe(0)
  })

  it('a wrong password answers 401 Invalid password and verifies nothing', async () => {
    const box = required()
    const { email, user } = await registeredIn(box)
    const res = await verify(box, { token: box.token(email, 'verify'), password: 'not the password' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' })
    expect((await userRow(user._id))?.email_verified).toBe(0)
  })

  it('the token with the right password verifies; login then answers 200', async () => {
    const box = required()
    const { email } = await registeredIn(box)
    expect((await login(box, email, PASSWORD)).status).toBe(403)
    const res = await verify(box, { token: box.token(email, 'verify'), password: PASSWORD })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ message: 'Email verified successfully' })
    expect((await login(box, email, PASSWORD)).status).toBe(200)
  })

  it('an invalid link is answered as such before the password is asked for', async () => {
    const res = await verify(required(), { token: 'not-a-token' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).code).toBe('LINK_INVALID')
  })

  it('the takeover fails: the victim’s click does not let the attacker in; "Forgot password" gives the victim the account', async () => {
    const box = required()
    const email = `victim-${crypto.randomUUID()}@example.com`
    const registered = await box.send('POST', '/users/register', { fullName: 'Mallory Attacker', email, password: ATTACKER_PASSWORD })
    expect(registered.status).toBe(201)
    // The victim opens the link (without the attacker's password): nothing is verified.
    expect((await verify(box, { token: box.token(email, 'verify') })).status).toBe(400)
    expect((await login(box, email, ATTACKER_PASSWORD)).status).toBe(403)
    // The email told the victim what to do instead.
    expect(box.to(email)[0].text).toContain('Use "Forgot password" with this address instead')
    await box.send('POST', '/users/forgot-password', { email })
    const reset = await box.send('POST', '/users/reset-password', { token: box.token(email, 'reset'), newPassword: VICTIM_PASSWORD })
    expect(reset.status).toBe(200)
    expect((await login(box, email, ATTACKER_PASSWORD)).status).toBe(401)
    const victim = await login(box, email, VICTIM_PASSWORD)
    expect(victim.status).toBe(200)
    expect(((await victim.json()) as Json).user.emailVerified).toBe(true)
  })
})

describe('REQUIRE_EMAIL_VERIFICATION=false: the token alone still verifies (register issued a session anyway)', () => {
  it('a password given with it is checked all the same: a wrong one answers 401', async () => {
    const box = mailbox()
    const { email, user } = await registeredIn(box)
    const token = box.token(email, 'verify')
    expect((await verify(box, { token, password: 'not the password' })).status).toBe(401)
    expect((await userRow(user._id))?.email_verified).toBe(0)
    expect((await verify(box, { token })).status).toBe(200)
  })
})
