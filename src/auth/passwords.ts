import { compare, getRounds, hash } from 'bcrypt-ts'
import { bcryptCost, MAX_BCRYPT_COST } from '../core/rules.mjs'

/**
 * A well-formed bcrypt hash that matches no password. Comparing against it costs the same as a real
 * comparison at that cost, so an unknown email takes as long as a wrong password. Built from a
 * constant, not hashed, so it costs nothing to make.
 */
export const dummyHash = (cost: number) => `$2b$${String(cost).padStart(2, '0')}$${'N'.repeat(53)}`

/**
 * A stored hash this Worker will compare against: at most MAX_BCRYPT_COST (14). An imported hash
 * above it (cost 15 is seconds of CPU, 31 is hours) is never compared: anyone who knows the email
 * could otherwise pin a CPU with one login, and the time would tell that the account exists.
 */
const comparable = (passwordHash: string | undefined) =>
  passwordHash !== undefined && bcryptCost(passwordHash) <= MAX_BCRYPT_COST ? passwordHash : undefined

/** bcrypt behind one object, so there is one place that hashes and tests can count comparisons. */
export const passwords = {
  hash: (password: string, cost: number) => hash(password, cost),
  /**
   * Compares against the user's hash, or against the dummy hash at the configured cost when there
   * is no user, the account has no password (a provider's sign-in made it) or the hash is above
   * MAX_BCRYPT_COST: the same answer (no match) in the usual time as a wrong password. Every route
   * that checks a password (login, change password, delete account, verification) comes through here.
   */
  verify: async (password: string, passwordHash: string | null | undefined, cost: number) => {
    const stored = comparable(passwordHash ?? undefined)
    const ok = await compare(password, stored ?? dummyHash(cost))
    return ok && stored !== undefined
  },
}

/** True when a stored hash was made at another cost than the configured one. */
export const needsRehash = (passwordHash: string, cost: number) => getRounds(passwordHash) !== cost
