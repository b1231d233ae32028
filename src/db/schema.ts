import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const usersTable = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email').notNull(),
    /** Null for an account without a password (created by a sign-in with a provider, or taken over by one). */
    passwordHash: text('password_hash'),
    /** Carried in every token as `ver`; bumping it ends every session issued before. */
    tokenVersion: integer('token_version').notNull().default(0),
    /**
     * Set by a verification link or a completed password reset (both prove the inbox is the user's).
     * Rows that existed before, or are inserted without it (an import), are unverified.
     */
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
    /** An https URL of the user's picture, from the provider they signed up or linked with. */
    profilePic: text('profile_pic'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
)

/**
 * Who a provider says someone is (`sub` of its ID tokens), and the user that is. One subject of a
 * provider belongs to one user; a user may have several. No foreign key: SQLite rebuilds a table to
 * change a column (as the migration that made password_hash nullable did), and dropping `users`
 * during such a rebuild would cascade into this table. The rows go with their user in the same
 * batch instead (deleteUser).
 */
export const identitiesTable = sqliteTable(
  'identities',
  {
    /** The provider's name in the configuration (`google`, or a key of OIDC_PROVIDERS). */
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] }), index('identities_user_id').on(t.userId)],
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
export type IdentityRow = typeof identitiesTable.$inferSelect
export type NewUserRow = typeof usersTable.$inferInsert
