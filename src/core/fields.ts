import { z } from '@hono/zod-openapi'

// The fields several features take (an email, a password): a route builds its field from here and
// inherits every rule and message.

const utf8 = new TextEncoder()
/** bcrypt reads at most 72 bytes: longer passwords are refused, never silently truncated. */
const BCRYPT_MAX_BYTES = 72

/** A string field whose missing/wrong-type errors name the field. */
export const text = (label: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${label} is required` : `${label} must be a string`) })

/**
 * Every password field: NFC first, so the same visible password matches however it was typed
 * (macOS input produces NFD), and the 72-byte limit, the hash and every comparison see that one
 * form. A route that takes a password builds its field from here and inherits both.
 */
const password = (label: string) =>
  text(label)
    .normalize('NFC')
    .refine((s) => utf8.encode(s).length <= BCRYPT_MAX_BYTES, `${label} must be at most 72 bytes`)

const newPassword = (label: string) => password(label).check(z.minLength(8, `${label} must be at least 8 characters`))

export const email = text('Email')
  .trim()
  .toLowerCase()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Email must be a valid email address'))
  .openapi({ format: 'email', description: 'Trimmed and lowercased before storing and before every lookup.' })

/** The password a user chooses (register, and the new one at change password). */
export const chosenPassword = (label: string, description: string) => newPassword(label).openapi({ description })
/** A password checked against the stored hash. */
export const currentPassword = (label: string) =>
  password(label)
    .min(1, `${label} is required`)
    .openapi({ description: 'Non-empty, at most 72 bytes of UTF-8.' })

/**
 * An OpenID provider's ID token (a JWT), as its sign-in button hands it to the front end. The
 * missing-token message is the one the mongoose clients' backend answered. Anything wrong with a
 * token that is there (its length included) is the verifier's single 401, not a 400 on the field.
 */
export const idToken = z
  .string({ error: (iss) => (iss.input === undefined ? 'No ID token provided' : 'ID token must be a string') })
  .min(1, 'No ID token provided')
  .openapi({ description: 'The ID token (a JWT) the provider issued, e.g. Google Identity Services’ `credential`.' })
