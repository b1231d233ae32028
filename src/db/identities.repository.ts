import { and, eq, sql } from 'drizzle-orm'
import type { Db } from './client'
import { identitiesTable, usersTable } from './schema'

// Which user a provider's subject is (src/oidc/ links them; DELETE /profile reads them).

/** The lookup by provider and subject: the table's primary key. Exported as a builder so a test can check its query plan. */
export const byIdentity = (db: Db, provider: string, subject: string) =>
  db.select().from(identitiesTable).where(and(eq(identitiesTable.provider, provider), eq(identitiesTable.subject, subject)))

export const findIdentity = (db: Db, provider: string, subject: string) => byIdentity(db, provider, subject).get()

/** Links a provider's subject to a user; a subject already linked stays as it is. A statement, for a batch. */
export const linkIdentity = (db: Db, provider: string, subject: string, userId: string) =>
  db
    .insert(identitiesTable)
    .values({ provider, subject, userId, createdAt: new Date().toISOString() })
    .onConflictDoNothing()

/** Removes a link whose user no longer exists. */
export const unlinkIdentity = (db: Db, provider: string, subject: string) =>
  db.delete(identitiesTable).where(and(eq(identitiesTable.provider, provider), eq(identitiesTable.subject, subject))).run()

/**
 * Deletes a user and its identities in one batch (a transaction). `condition` narrows the user's
 * DELETE (the password hash still the one checked); the identities go only if the user did.
 * True when the user was deleted.
 */
export async function deleteUser(db: Db, userId: string, condition = sql`1`): Promise<boolean> {
  const [deleted] = await db.batch([
    db.delete(usersTable).where(and(eq(usersTable.id, userId), condition)),
    db
      .delete(identitiesTable)
      .where(and(eq(identitiesTable.userId, userId), sql`NOT EXISTS (SELECT 1 FROM ${usersTable} WHERE ${usersTable.id} = ${userId})`)),
  ])
  return deleted.meta.changes > 0
}
