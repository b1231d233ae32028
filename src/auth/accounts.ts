import { ApiError } from '../core/errors'
import { newUserId, type UserIdFormat } from '../core/user-ids'
import { type Db, isUniqueViolation } from '../db/client'
import { type NewUserRow, type UserRow, usersTable } from '../db/schema'

/** What a new account is made of, whoever creates it: register (with a password) or a provider's sign-in (without). */
export type NewAccount = Pick<NewUserRow, 'firstName' | 'lastName' | 'email' | 'passwordHash' | 'emailVerified' | 'profilePic'>

/** The row createUser writes for `account`, as the database returns it: a new id, now, no session yet. */
export function accountRow(account: NewAccount, idFormat: UserIdFormat = 'uuid'): UserRow {
  const now = new Date().toISOString()
  return {
    id: newUserId(idFormat),
    firstName: account.firstName,
    lastName: account.lastName ?? null,
    email: account.email,
    passwordHash: account.passwordHash ?? null,
    tokenVersion: 0,
    emailVerified: account.emailVerified ?? false,
    profilePic: account.profilePic ?? null,
    createdAt: now,
    updatedAt: now,
  }
}

/**
 * Creates a user: the one place a user row is inserted and its id chosen, for register and for
 * sign-up with a provider alike. The UNIQUE email index decides: of two simultaneous creations for
 * one email exactly one insert succeeds, the other is USER_EXISTS (409). The id is made in `idFormat`
 * (USER_ID_FORMAT: a UUID, or a MongoDB ObjectId for apps whose other services cast ids with mongoose).
 */
export async function createUser(db: Db, account: NewAccount, idFormat: UserIdFormat = 'uuid'): Promise<UserRow> {
  const row = accountRow(account, idFormat)
  try {
    return await db.insert(usersTable).values(row).returning().get()
  } catch (e) {
    if (isUniqueViolation(e)) throw new ApiError('USER_EXISTS')
    throw e
  }
}
