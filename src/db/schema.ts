import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const usersTable = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Carried in every token as `ver`; bumping it ends every session issued before. */
    tokenVersion: integer('token_version').notNull().default(0),
    /**
     * Set by a verification link or a completed password reset (both prove the inbox is the user's).
     * Rows that existed before, or are inserted without it (an import), are unverified.
     */
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
)

/**
 * How many emails a mailbox received in its current one-hour window (the hourly cap of
 * src/mail/quota.ts). Keyed by a SHA-256 of the mailbox (the address without its +tag, and for
 * Gmail without dots), not the address: a row outlives the account (deleting and re-registering
 * must not reset the cap) and says nothing readable about it.
 */
export const emailQuota = sqliteTable('email_quota', {
  addressHash: text('address_hash').primaryKey(),
  /** Unix seconds when the window opened; the count starts again an hour later. */
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
})

export type UserRow = typeof usersTable.$inferSelect
export type NewUserRow = typeof usersTable.$inferInsert
