import { compare, getRounds, hash } from 'bcrypt-ts'

/**
 * A well-formed bcrypt hash that matches no password. Comparing against it costs the same as a real
 * comparison at that cost, so an unknown email takes as long as a wrong password. Built from a
 * constant, not hashed, so it costs nothing to make.
 */
export const dummyHash = (cost: number) => `$2b$${String(cost).padStart(2, '0')}$${'N'.repeat(53)}`

/** bcrypt behind one object, so there is one place that hashes and tests can count comparisons. */
export const passwords = {
  hash: (password: string, cost: number) => hash(password, cost),
  /**
   * Compares against the user's hash, or against the dummy hash when there is no user or the account
   * has no password (a provider's sign-in made it): the same answer and the same work as a wrong password.
   */
  verify: (password: string, passwordHash: string | null | undefined, cost: number) =>
    compare(password, passwordHash ?? dummyHash(cost)),
}

/** True when a stored hash was made at another cost than the configured one. */
export const needsRehash = (passwordHash: string, cost: number) => getRounds(passwordHash) !== cost
