// Issue 22, items 2 and 7: a stored bcrypt hash above cost 14 is never compared (an imported one
// would burn a CPU per login and tell that the account exists), and a link token has one spelling.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { readLinkToken } from '../../src/auth/link-tokens'
import { mailbox, registeredIn } from '../support/mailbox'
import { bearer, call, type Json, jsonInit, send } from '../support/request'
import { PASSWORD, registered, uniqueEmail, userRow } from '../support/users'

/** "cost-fifteen-pass" hashed at cost 15 by the native bcrypt package (a real, matching hash). */
const COST_15 = '$2b$15$zt7JcS4XyILLss58f5puXerhbuer5iw3Tl/Mdt0oqbmY80FJKorH.'
const COST_15_PASSWORD = 'cost-fifteen-pass'

/** A registered user whose stored hash is then replaced by COST_15, as an import before the cap stored it. */
async function userWithCost15Hash() {
  const user = await registered()
  await env.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(COST_15, user.json.user._id).run()
  return { ...user, id: user.json.user._id as string }
}

const BAD_CREDENTIALS = { status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' }

describe('a stored hash above cost 14 is never compared: the right password is answered like a wrong one', () => {
  it('POST /users/login answers the 401 of an unknown email, at once', async () => {
    const { email } = await userWithCost15Hash()
    const res = await send('POST', '/users/login', { email, password: COST_15_PASSWORD })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(BAD_CREDENTIALS)
    const unknown = await send('POST', '/users/login', { email: uniqueEmail('ghost'), password: COST_15_PASSWORD })
    expect(await unknown.json()).toEqual(BAD_CREDENTIALS)
  })

  it('PATCH /users/changePassword answers 401 and keeps the stored hash', async () => {
    const { email, id } = await userWithCost15Hash()
    const res = await send('PATCH', '/users/changePassword', { email, oldPassword: COST_15_PASSWORD, newPassword: 'a-brand-new-pass' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(BAD_CREDENTIALS)
    expect((await userRow(id))?.password_hash).toBe(COST_15)
  })

  it('DELETE /users/profile answers 401 Invalid password and deletes nothing', async () => {
    const { token, id } = await userWithCost15Hash()
    const res = await call('/users/profile', jsonInit('DELETE', { password: COST_15_PASSWORD }, bearer(token)))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' })
    expect(await userRow(id)).not.toBeNull()
  })

  it('the way out is a password reset: the new hash (at BCRYPT_COST) logs in', async () => {
    const box = mailbox()
    const { email, user } = await registeredIn(box, '/users', 'cost15')
    await env.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(COST_15, user._id).run()
    await box.send('POST', '/users/forgot-password', { email })
    const reset = await box.send('POST', '/users/reset-password', { token: box.token(email, 'reset'), newPassword: 'a-brand-new-pass' })
    expect(reset.status).toBe(200)
    expect((await send('POST', '/users/login', { email, password: 'a-brand-new-pass' })).status).toBe(200)
  })
})

describe('a link token has one spelling', () => {
  it('an expiry with a leading zero is not a token', () => {
    const id = crypto.randomUUID()
    const exp = Math.floor(Date.now() / 1000) + 600
    const sig = 'A'.repeat(43)
    expect(readLinkToken(`${id}.${exp}.${sig}`)).toMatchObject({ userId: id, exp })
    expect(readLinkToken(`${id}.0${exp}.${sig}`)).toBeUndefined()
    expect(readLinkToken(`${id}.00${exp}.${sig}`)).toBeUndefined()
  })

  it('POST /users/verify-email answers 400 for the emailed token with a zero before its expiry, and verifies with the token as sent', async () => {
    const box = mailbox()
    const { email, user } = await registeredIn(box, '/users', 'zero')
    const token = box.token(email, 'verify')
    const [id, exp, sig] = token.split('.')
    const padded = await box.send('POST', '/users/verify-email', { token: `${id}.0${exp}.${sig}` })
    expect(padded.status).toBe(400)
    expect(await padded.json()).toEqual({ status: 400, message: 'Invalid or expired token', code: 'LINK_INVALID' })
    expect((await userRow(user._id))?.email_verified).toBe(0)
    expect((await box.send('POST', '/users/verify-email', { token })).status).toBe(200)
    expect(((await (await send('POST', '/users/login', { email, password: PASSWORD })).json()) as Json).user.emailVerified).toBe(true)
  })
})
