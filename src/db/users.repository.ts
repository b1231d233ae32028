import { eq, isNull, type Placeholder, sql } from 'drizzle-orm'
import type { PublicUser } from '../core/schemas'
import type { Db } from './client'
import { type UserRow, usersTable } from './schema'

// The users table as every feature reads it: the two lookups and the public view of a row.

/** The user as every client sees it: never the hash, never the token version. */
export function toPublicUser(u: UserRow): PublicUser {
  return {
    _id: u.id,
    fullName: { firstName: u.firstName, lastName: u.lastName },
    email: u.email,
    emailVerified: u.emailVerified,
    profilePic: u.profilePic,
    socketId: null,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  }
}

type Param = string | Placeholder

/** The two lookups every request makes; exported as builders so a test can check their query plans. */
export const byEmail = (db: Db, email: Param) => db.select().from(usersTable).where(eq(usersTable.email, email))
export const byId = (db: Db, id: Param) => db.select().from(usersTable).where(eq(usersTable.id, id))

// Built and prepared once per isolate (per database), not once per request: the hot path only binds.
const prepared = new WeakMap<Db, ReturnType<typeof prepareLookups>>()
const prepareLookups = (db: Db) => ({
  byEmail: byEmail(db, sql.placeholder('email')).prepare(),
  byId: byId(db, sql.placeholder('id')).prepare(),
})
function lookups(db: Db) {
  let p = prepared.get(db)
  if (!p) {
    p = prepareLookups(db)
    prepared.set(db, p)
  }
  return p
}

export const findByEmail = (db: Db, email: string) => lookups(db).byEmail.get({ email })
export const findById = (db: Db, id: string) => lookups(db).byId.get({ id })

/**
 * A condition for a write that must apply only while the password hash is still the one that was
 * checked (null for an account without a password): a concurrent change in between wins.
 */
export const hashStillIs = (passwordHash: string | null) =>
  passwordHash === null ? isNull(usersTable.passwordHash) : eq(usersTable.passwordHash, passwordHash)
