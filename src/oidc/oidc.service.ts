import { eq, sql } from 'drizzle-orm'
import { createUser } from '../auth/accounts'
import { type IdTokenClaims, invalidIdToken } from '../auth/id-tokens'
import { ApiError } from '../core/errors'
import { email as emailField } from '../core/fields'
import { nameText } from '../core/names'
import type { UserIdFormat } from '../core/user-ids'
import type { Db } from '../db/client'
import { findIdentity, linkIdentity, unlinkIdentity } from '../db/identities.repository'
import { type UserRow, usersTable } from '../db/schema'
import { findByEmail, findById } from '../db/users.repository'
import type { UserEventType } from '../events/user-events'

// Who a provider's verified ID token is here: the user its identity is linked to, or the account
// with its email (linked now), or a new account.

/** What a provider says about the person, in this API's terms. */
export type ProviderProfile = { subject: string; email: string; firstName: string; lastName: string | null; picture: string | null }

/** Our character rules for a name, 1–50 characters (providers have short names: "Li"). */
const providerName = nameText('Name').min(1)

const usable = (value: unknown): string | undefined => {
  const result = providerName.safeParse(value)
  return result.success && result.data ? result.data : undefined
}

/** given_name and family_name, else `name` split at its first whitespace, else the email's local part. */
function namesOf(claims: IdTokenClaims, email: string) {
  let firstName = usable(claims.given_name)
  let lastName = usable(claims.family_name)
  if (!firstName && typeof claims.name === 'string') {
    const [, first, rest] = /^\s*(\S+)\s*([\s\S]*)$/.exec(claims.name) ?? []
    firstName = usable(first)
    lastName ??= usable(rest)
  }
  return { firstName: firstName ?? usable(email.split('@')[0].slice(0, 50)) ?? 'User', lastName: lastName ?? null }
}

/** An https URL (never http: the page that shows it would load it over plain HTTP), or null. */
function pictureOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null
  try {
    return new URL(value).protocol === 'https:' ? value : null
  } catch {
    return null
  }
}

/**
 * The person a verified ID token names. `email_verified` must be true (Apple sends the string
 * "true"): otherwise 401 OIDC_EMAIL_NOT_VERIFIED, and nothing is written. An email that breaks our
 * rules is a refused token.
 */
export function profileOf(claims: IdTokenClaims): ProviderProfile {
  if (claims.email_verified !== true && claims.email_verified !== 'true') throw new ApiError('OIDC_EMAIL_NOT_VERIFIED')
  const email = emailField.safeParse(claims.email)
  if (!email.success) throw invalidIdToken()
  return { subject: claims.sub, email: email.data, ...namesOf(claims, email.data), picture: pictureOf(claims.picture) }
}

/**
 * Links the identity to an account with the same email, in one batch. An unverified account is
 * taken over as a password reset takes it over: the provider has just proven who owns the address,
 * so whoever registered it first must keep no way in. Its password is cleared, its token version
 * bumped (every earlier session ends) and its email marked verified, in one UPDATE whose CASEs read
 * the row as it is at that moment. A verified account keeps all of that. Either gets the picture if
 * it has none. The row as it is now, or undefined when it was deleted meanwhile.
 */
async function linkAccount(db: Db, user: UserRow, provider: string, profile: ProviderProfile): Promise<UserRow | undefined> {
  const unverified = sql`NOT ${usersTable.emailVerified}`
  const [rows] = await db.batch([
    db
      .update(usersTable)
      .set({
        passwordHash: sql`CASE WHEN ${unverified} THEN NULL ELSE ${usersTable.passwordHash} END`,
        tokenVersion: sql`${usersTable.tokenVersion} + CASE WHEN ${unverified} THEN 1 ELSE 0 END`,
        emailVerified: true,
        profilePic: sql`COALESCE(${usersTable.profilePic}, ${profile.picture})`,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(usersTable.id, user.id))
      .returning(),
    linkIdentity(db, provider, profile.subject, user.id),
  ])
  return rows[0]
}

/**
 * The user a provider's identity signs in as, and whether it was created just now:
 * 1. a known identity (provider + subject) signs into its user, even after the email changed at the provider;
 * 2. otherwise an account with the same email is linked (linkAccount);
 * 3. otherwise, with `signup`, an account is created (createUser: the one place users are made)
 *    with the verified email, the provider's name and picture and no password; without it, 404
 *    OIDC_USER_NOT_FOUND with what a sign-up form can be prefilled with.
 * A race (the same email created or deleted meanwhile) is resolved by going through the steps once more.
 * `before`: the account as it was, when step 2 linked (and possibly changed) it.
 */
export async function signInWithProvider(
  db: Db,
  provider: string,
  profile: ProviderProfile,
  options: { signup: boolean; idFormat?: UserIdFormat },
  retried = false,
): Promise<{ user: UserRow; created: boolean; before?: UserRow }> {
  const again = () => {
    if (retried) throw new Error('Sign-in with a provider raced with another change of the same account twice')
    return signInWithProvider(db, provider, profile, options, true)
  }
  const identity = await findIdentity(db, provider, profile.subject)
  if (identity) {
    const user = await findById(db, identity.userId)
    if (user) return { user, created: false }
    await unlinkIdentity(db, provider, profile.subject) // its user is gone: the subject is free again
  }
  const existing = await findByEmail(db, profile.email)
  if (existing) {
    const user = await linkAccount(db, existing, provider, profile)
    return user ? { user, created: false, before: existing } : again()
  }
  const { email, firstName, lastName, picture } = profile
  if (!options.signup) throw new ApiError('OIDC_USER_NOT_FOUND', { fields: { email, firstName, lastName, picture } })
  let user: UserRow
  try {
    const account = { firstName, lastName, email, passwordHash: null, emailVerified: true, profilePic: picture }
    user = await createUser(db, account, options.idFormat)
  } catch (e) {
    if (e instanceof ApiError && e.code === 'USER_EXISTS') return again()
    throw e
  }
  await linkIdentity(db, provider, profile.subject, user.id).run()
  return { user, created: true }
}

/**
 * The user events a sign-in with a provider causes: user.created for a new account; for a linked
 * one, user.updated when the row changed (email now verified, password cleared, picture set) and
 * user.signed_out_everywhere when it was taken over (its earlier sessions ended). None otherwise.
 */
export function signInEvents({ user, created, before }: { user: UserRow; created: boolean; before?: UserRow }): UserEventType[] {
  if (created) return ['user.created']
  if (!before) return []
  const types: UserEventType[] = []
  const changed = before.emailVerified !== user.emailVerified || before.passwordHash !== user.passwordHash || before.profilePic !== user.profilePic
  if (changed) types.push('user.updated')
  if (before.tokenVersion !== user.tokenVersion) types.push('user.signed_out_everywhere')
  return types
}
