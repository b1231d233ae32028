import { and, eq, sql } from 'drizzle-orm'
import { needsRehash, passwords } from '../auth/passwords'
import { ApiError, queryFailure } from '../core/errors'
import { type Db, isUniqueViolation } from '../db/client'
import { type UserRow, usersTable } from '../db/schema'
import { findByEmail } from '../db/users.repository'
import type { ChangePasswordInput, RegisterInput, UpdateProfileInput } from './users.schemas'

/** The row register writes for `input`, as the database returns it (a new id, unverified, now). */
export function newUserRow(input: RegisterInput, passwordHash: string): UserRow {
  const now = new Date().toISOString()
  return {
    id: crypto.randomUUID(),
    firstName: input.fullName.firstName,
    lastName: input.fullName.lastName ?? null,
    email: input.email,
    passwordHash,
    tokenVersion: 0,
    emailVerified: false,
    createdAt: now,
    updatedAt: now,
  }
}

export async function registerUser(db: Db, input: RegisterInput, cost: number): Promise<UserRow> {
  const row = newUserRow(input, await passwords.hash(input.password, cost))
  // The UNIQUE index decides: of two simultaneous registrations exactly one insert succeeds.
  try {
    return await db.insert(usersTable).values(row).returning().get()
  } catch (e) {
    if (isUniqueViolation(e)) throw new ApiError('USER_EXISTS')
    throw e
  }
}

/**
 * Unknown email and wrong password give the same 401 after the same bcrypt work, so neither the
 * body nor the timing tells which emails have accounts.
 */
export async function verifyCredentials(db: Db, email: string, password: string, cost: number) {
  const user = await findByEmail(db, email)
  const ok = await passwords.verify(password, user?.passwordHash, cost)
  if (!user || !ok) throw new ApiError('BAD_CREDENTIALS')
  return user
}

/**
 * A write that replaces the hash applies only while the hash is still the one that was verified:
 * a concurrent password change in between wins, and is never undone by a stale write.
 */
const stillHolds = (user: UserRow) => and(eq(usersTable.id, user.id), eq(usersTable.passwordHash, user.passwordHash))

/**
 * Replaces the hash and bumps the token version in one UPDATE: every token issued before is
 * refused from then on, everywhere at once (D1 is strongly consistent). Of two concurrent changes
 * made with the same old password, one applies; the other finds the old password gone: 401.
 */
export async function changePassword(db: Db, input: ChangePasswordInput, cost: number) {
  const user = await verifyCredentials(db, input.email, input.oldPassword, cost)
  const { meta } = await db
    .update(usersTable)
    .set({
      passwordHash: await passwords.hash(input.newPassword, cost),
      tokenVersion: sql`${usersTable.tokenVersion} + 1`,
      updatedAt: new Date().toISOString(),
    })
    .where(stillHolds(user))
    .run()
  if (meta.changes === 0) throw new ApiError('BAD_CREDENTIALS')
}

/** Ends every session of the user, everywhere at once: tokens carry the old version from now on. */
export async function endAllSessions(db: Db, userId: string) {
  await db
    .update(usersTable)
    .set({ tokenVersion: sql`${usersTable.tokenVersion} + 1` })
    .where(eq(usersTable.id, userId))
    .run()
}

/**
 * After a successful login with a hash made at another cost (e.g. BCRYPT_COST was raised), stores
 * a new hash at the configured cost. The token version is kept: sessions stay valid. If the
 * password was changed meanwhile, the upgrade is skipped: it must not bring the old password back.
 * The upgrade is optional: if it cannot be written, the login still succeeds and the next one retries.
 */
export async function upgradeHashIfNeeded(db: Db, user: UserRow, password: string, cost: number) {
  if (!needsRehash(user.passwordHash, cost)) return
  try {
    await db
      .update(usersTable)
      .set({ passwordHash: await passwords.hash(password, cost) })
      .where(stillHolds(user))
      .run()
  } catch (e) {
    console.error('Password hash upgrade failed; the login goes on', ...queryFailure(e))
  }
}

/** Replaces the name; the row as it is now. A user deleted meanwhile is a refused token. */
export async function updateName(db: Db, userId: string, { fullName }: UpdateProfileInput): Promise<UserRow> {
  const row = await db
    .update(usersTable)
    .set({ firstName: fullName.firstName, lastName: fullName.lastName ?? null, updatedAt: new Date().toISOString() })
    .where(eq(usersTable.id, userId))
    .returning()
    .get()
  if (!row) throw new ApiError('UNAUTHORIZED')
  return row
}

/**
 * Deletes the user after checking the password (401 when wrong). The row goes, so every token of
 * the user is refused from then on (requireAuth finds no user) and the email can register again.
 * Applies only while the hash is the one that was checked.
 */
export async function deleteAccount(db: Db, user: UserRow, password: string, cost: number) {
  if (!(await passwords.verify(password, user.passwordHash, cost))) throw new ApiError('WRONG_PASSWORD')
  const { meta } = await db
    .delete(usersTable)
    .where(and(eq(usersTable.id, user.id), eq(usersTable.passwordHash, user.passwordHash)))
    .run()
  if (meta.changes === 0) throw new ApiError('WRONG_PASSWORD')
}
