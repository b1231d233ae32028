import { env } from 'cloudflare:workers'
import { compare, getRounds, hash } from 'bcrypt-ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dummyHash, passwords } from '../../src/auth/passwords'
import { ApiError } from '../../src/core/errors'
import { createDb, isUniqueViolation } from '../../src/db/client'
import { findById } from '../../src/db/users.repository'
import { changePassword, registerUser, upgradeHashIfNeeded, verifyCredentials } from '../../src/users/users.service'
import { PASSWORD, uniqueEmail } from '../support/users'

const db = createDb(env.DB)
const COST = 4
const input = (email = uniqueEmail()) => ({ fullName: { firstName: 'Unit', lastName: null }, email, password: PASSWORD })

// Counts bcrypt comparisons while keeping the real implementation.
const verify = vi.spyOn(passwords, 'verify')
afterEach(() => verify.mockClear())

describe('users.service', () => {
  it('dummyHash is a well-formed bcrypt hash at the configured cost that matches nothing', async () => {
    for (const cost of [4, 10, 12]) expect(getRounds(dummyHash(cost))).toBe(cost)
    expect(await compare('', dummyHash(COST))).toBe(false)
    expect(await compare(PASSWORD, dummyHash(COST))).toBe(false)
    // With no user the comparison still runs, against the dummy hash.
    expect(await passwords.verify(PASSWORD, undefined, COST)).toBe(false)
  })

  it('verifyCredentials does one bcrypt comparison for an unknown email, against the dummy hash', async () => {
    await expect(verifyCredentials(db, uniqueEmail('ghost'), PASSWORD, COST)).rejects.toMatchObject({
      status: 401,
      message: 'Invalid email or password',
      code: 'BAD_CREDENTIALS',
    })
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify).toHaveBeenCalledWith(PASSWORD, undefined, COST)
    expect(await verify.mock.results[0].value).toBe(false)
  })

  it('verifyCredentials does one bcrypt comparison for a wrong password, against the real hash', async () => {
    const user = await registerUser(db, input(), COST)
    await expect(verifyCredentials(db, user.email, 'wrong password', COST)).rejects.toBeInstanceOf(ApiError)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify).toHaveBeenCalledWith('wrong password', user.passwordHash, COST)
  })

  it('registerUser hashes at the given cost and maps the UNIQUE violation to 409', async () => {
    const email = uniqueEmail()
    const user = await registerUser(db, input(email), COST)
    expect(getRounds(user.passwordHash!)).toBe(COST)
    await expect(registerUser(db, input(email), COST)).rejects.toMatchObject({ status: 409, message: 'User already exists', code: 'USER_EXISTS' })
  })

  it('of two concurrent password changes with the same old password, one applies and the other gets 401', async () => {
    const user = await registerUser(db, input(), COST)
    const change = (newPassword: string) => changePassword(db, { email: user.email, oldPassword: PASSWORD, newPassword }, COST)
    // While the first change is hashing its new password, a second change lands.
    const hashing = vi.spyOn(passwords, 'hash').mockImplementationOnce(async (password, cost) => {
      await change('second new password')
      return hash(password, cost)
    })
    await expect(change('first new password')).rejects.toMatchObject({ status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' })
    hashing.mockRestore()
    const row = (await findById(db, user.id))!
    expect(await compare('second new password', row.passwordHash!)).toBe(true)
    expect(row.tokenVersion).toBe(1)
  })

  it('a hash upgrade on login never brings back a password changed in the meantime', async () => {
    const stale = await registerUser(db, input(), COST)
    await changePassword(db, { email: stale.email, oldPassword: PASSWORD, newPassword: 'a brand new password' }, COST)
    // The login verified the old hash (at another cost) just before the change landed.
    await upgradeHashIfNeeded(db, stale, PASSWORD, COST + 1)
    const row = (await findById(db, stale.id))!
    expect(await compare('a brand new password', row.passwordHash!)).toBe(true)
    expect(getRounds(row.passwordHash!)).toBe(COST)
    // Without a change in between the upgrade applies.
    await upgradeHashIfNeeded(db, row, 'a brand new password', COST + 1)
    expect(getRounds((await findById(db, stale.id))!.passwordHash!)).toBe(COST + 1)
  })

  it('isUniqueViolation looks through drizzle’s wrapper to the D1 cause', () => {
    const d1 = new Error('D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT')
    expect(isUniqueViolation(new Error('Failed query: insert into users', { cause: d1 }))).toBe(true)
    expect(isUniqueViolation(new Error('Failed query', { cause: new Error('no such table') }))).toBe(false)
    expect(isUniqueViolation('UNIQUE constraint failed')).toBe(false)
  })
})
