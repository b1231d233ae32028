import { z } from '@hono/zod-openapi'
import type { FieldError } from '../core/errors'
import { User } from '../core/schemas'

// The response bodies. Handlers do not validate what they send: the TypeScript types of these
// schemas are checked against what the code produces (bottom of file), and the typed client reads
// its response types from them. Request bodies are the validation schemas themselves (users.schemas.ts).

export const AuthResult = z
  .object({
    message: z.string(),
    user: User,
    token: z.string().openapi({ description: 'The JWT (HS256); the same value is set as the `__Host-token` cookie.' }),
  })
  .openapi('AuthResult')

export const ProfileResult = z.object({ user: User }).openapi('ProfileResult')

/** Register's 201: like login's, without a token or cookie while REQUIRE_EMAIL_VERIFICATION is on. */
export const RegisterResult = z
  .object({
    message: z.string(),
    user: User,
    token: z.string().optional().openapi({
      description:
        'The JWT (HS256); the same value is set as the `token` cookie. Absent, with no cookie, when REQUIRE_EMAIL_VERIFICATION is on: the user logs in once the email is verified.',
    }),
  })
  .openapi('RegisterResult')

export const SessionResult = z
  .object({
    // Written out: the generator would add a bare `{ type: 'null' }` branch beside a named one.
    user: z.union([User, z.null()]).openapi({
      description: 'The signed-in user, or null when there is no valid session.',
      oneOf: [
        { $ref: '#/components/schemas/User' },
        { type: 'null', title: 'signed out', description: 'No valid session.' },
      ],
    }),
  })
  .openapi('SessionResult')

export const MessageResult = z.object({ message: z.string() }).openapi('MessageResult')

export const PasswordChanged = z.object({ success: z.literal(true), message: z.string() }).openapi('PasswordChanged')

export const ErrorSchema = z
  .object({ status: z.int().min(400).max(599), message: z.string() })
  .openapi('Error', { description: 'Every error: the status repeated in the body and a message.' })

export const FieldErrorSchema = z
  .object({
    msg: z.string(),
    param: z.string().openapi({ description: 'Same as path (kept for clients written against express-validator).' }),
    path: z.string().openapi({
      description:
        'Canonical dotted path, whatever shape came in: fullName, fullName.firstName, fullName.lastName, email, password, oldPassword, newPassword.',
    }),
    location: z.literal('body'),
  })
  .openapi('FieldError')

export const ValidationError = z
  .object({ status: z.literal(400), message: z.literal('Validation failed'), errors: z.array(FieldErrorSchema).min(1) })
  .openapi('ValidationError', { description: 'One entry per failing field.' })

// A ValidationError is also an Error, so the 400 union must be anyOf, not oneOf.
export const BadRequest = z
  .union([ValidationError, ErrorSchema])
  .openapi('BadRequest', { description: 'A ValidationError, or an Error for a body that cannot be read.' }, { unionPreferredType: 'anyOf' })

// Compile-time proof that the documented shapes are the ones the code produces.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const fieldErrorMatches: Equal<z.output<typeof FieldErrorSchema>, FieldError> = true
void fieldErrorMatches
