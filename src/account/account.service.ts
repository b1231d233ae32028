import { and, eq, sql } from 'drizzle-orm'
import { type LinkPurpose, readLinkToken, verifyLinkToken } from '../auth/link-tokens'
import { passwords } from '../auth/passwords'
import { ApiError } from '../core/errors'
import type { Db } from '../db/client'
import { type UserRow, usersTable } from '../db/schema'
import { findById, hashStillIs } from '../db/users.repository'

// The state changes of the account lifecycle. Each is one conditional statement on the row the link
// or the password was checked against, so a link used twice at once still applies once.

export const invalidLink = () => new ApiError('LINK_INVALID')

const NO_USER = { id: '', email: '', passwordHash: '', emailVerified: false }

/** The user a link was issued to, if the link is still good for `purpose`; otherwise 400. */
async function linkedUser(db: Db, purpose: LinkPurpose, token: string, secrets: string[]): Promise<UserRow> {
  const claimed = readLinkToken(token)
  if (!claimed) throw invalidLink()
  const user = await findById(db, claimed.userId)
  // The MAC is checked whether or not the id exists (against an empty row when it does not), so
  // the time of a bad link does not tell which user ids exist.
  const ok = await verifyLinkToken(purpose, token, user ?? { ...NO_USER, id: claimed.userId }, secrets)
  if (!user || !ok) throw invalidLink()
  return user
}

/** The user a verification link was issued to, while it is still good; otherwise 400. */
export const verificationLinkUser = (db: Db, token: string, secrets: string[]) => linkedUser(db, 'verify-email', token, secrets)

/**
 * Marks the email verified; the row as it is now. The link dies with it: it was bound to the
 * unverified state. Applies only while the hash is the one a password given with the link was
 * checked against.
 */
export async function markEmailVerified(db: Db, user: UserRow): Promise<UserRow> {
  const row = await db
    .update(usersTable)
    .set({ emailVerified: true })
    .where(
      and(
        eq(usersTable.id, user.id),
        eq(usersTable.email, user.email),
        eq(usersTable.emailVerified, false),
        hashStillIs(user.passwordHash),
      ),
    )
    .returning()
    .get()
  if (!row) throw invalidLink()
  return row
}

/**
 * Stores the new hash, bumps the token version (every session issued before ends, everywhere) and
 * marks the email verified (the link reached its inbox: the owner of a squatted address takes it
 * over this way), in one UPDATE that applies only while the hash is the one the link was bound to.
 * An account without a password (made by a provider's sign-in) gets its first one this way.
 * Returns the row as it is now.
 */
export async function resetPassword(db: Db, token: string, newPassword: string, cost: number, secrets: string[]): Promise<UserRow> {
  const user = await linkedUser(db, 'reset-password', token, secrets)
  const row = await db
    .update(usersTable)
    .set({
      passwordHash: await passwords.hash(newPassword, cost),
      tokenVersion: sql`${usersTable.tokenVersion} + 1`,
      emailVerified: true,
      updatedAt: new Date().toISOString(),
    })
    .where(and(eq(usersTable.id, user.id), hashStillIs(user.passwordHash)))
    .returning()
    .get()
  if (!row) throw invalidLink()
  return row
}
