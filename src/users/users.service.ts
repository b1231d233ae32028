import { and, eq, sql } from 'drizzle-orm'
import { accountRow, createUser } from '../auth/accounts'
import { nowSeconds } from '../auth/clock'
import { invalidIdToken, verifyIdTokenOfAny } from '../auth/id-tokens'
import { needsRehash, passwords } from '../auth/passwords'
import type { Provider } from '../config/oidc.config'
import { ApiError, queryFailure } from '../core/errors'
import type { UserIdFormat } from '../core/user-ids'
import type { Db } from '../db/client'
import { deleteUser, findIdentity } from '../db/identities.repository'
import { type UserRow, usersTable } from '../db/schema'
import { findByEmail, hashStillIs } from '../db/users.repository'
import type { ChangePasswordInput, RegisterInput, UpdateProfileInput } from './users.schemas'

/** The account register makes of `input`, with the password's hash. */
const accountOf = ({ fullName, email }: RegisterInput, passwordHash: string) => ({ ...fullName, email, passwordHash })

/** What register writes for `input`, as createUser would return it: what a taken email is answered with when no session is issued. */
export const newUserRow = (input: RegisterInput, passwordHash: string, idFormat: UserIdFormat = 'uuid'): UserRow =>
  accountRow(accountOf(input, passwordHash), idFormat)

/** Creates the user (createUser: 409 when the email is taken; its id in USER_ID_FORMAT) with the password's hash at `cost`. */
export async function registerUser(db: Db, input: RegisterInput, cost: number, idFormat: UserIdFormat = 'uuid'): Promise<UserRow> {
  return createUser(db, accountOf(input, await passwords.hash(input.password, cost)), idFormat)
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
const stillHolds = (user: UserRow) => and(eq(usersTable.id, user.id), hashStillIs(user.passwordHash))

/**
 * Replaces the hash and bumps the token version in one UPDATE: every token issued before is
 * refused from then on, everywhere at once (D1 is strongly consistent). Of two concurrent changes
 * made with the same old password, one applies; the other finds the old password gone: 401.
 * Returns the row as it is now.
 */
export async function changePassword(db: Db, input: ChangePasswordInput, cost: number): Promise<UserRow> {
  const user = await verifyCredentials(db, input.email, input.oldPassword, cost)
  const row = await db
    .update(usersTable)
    .set({
      passwordHash: await passwords.hash(input.newPassword, cost),
      tokenVersion: sql`${usersTable.tokenVersion} + 1`,
      updatedAt: new Date().toISOString(),
    })
    .where(stillHolds(user))
    .returning()
    .get()
  if (!row) throw new ApiError('BAD_CREDENTIALS')
  return row
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
  if (user.passwordHash === null || !needsRehash(user.passwordHash, cost)) return
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
 * Deletes the user after checking the password (401 when wrong; an account without a password
 * compares against the dummy hash, like a wrong password). The row and its identities go, so every
 * token of the user is refused from then on (requireAuth finds no user) and the email can register
 * again. Applies only while the hash is the one that was checked.
 */
export async function deleteAccount(db: Db, user: UserRow, password: string, cost: number) {
  if (!(await passwords.verify(password, user.passwordHash, cost))) throw new ApiError('WRONG_PASSWORD')
  if (!(await deleteUser(db, user.id, hashStillIs(user.passwordHash)))) throw new ApiError('WRONG_PASSWORD')
}

/** How old an ID token that confirms an account deletion may be: the user has just signed in with the provider. */
export const REAUTH_MAX_AGE_SECONDS = 300

/**
 * Deletes the user after checking a fresh ID token (issued at most 5 minutes ago) of an identity
 * linked to them, instead of a password: every other token is refused with OIDC_TOKEN_INVALID (401).
 */
export async function deleteAccountWithIdToken(db: Db, user: UserRow, idToken: string, providers: Iterable<Provider>) {
  const { provider, claims } = await verifyIdTokenOfAny(idToken, providers)
  if (claims.iat < nowSeconds() - REAUTH_MAX_AGE_SECONDS) throw invalidIdToken()
  const identity = await findIdentity(db, provider.name, claims.sub)
  if (identity?.userId !== user.id) throw invalidIdToken()
  if (!(await deleteUser(db, user.id))) throw new ApiError('UNAUTHORIZED') // deleted meanwhile
}
