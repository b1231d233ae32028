import { z } from '@hono/zod-openapi'
import { ERROR_CODES, ERRORS } from './error-codes'

// The wire shapes every layer shares. Handlers do not validate what they send: these schemas type
// what they return (and the typed client's responses) and document it.

/** The user as every client sees it: never the hash, never the token version. */
export const User = z
  .object({
    _id: z.string().openapi({ description: 'A UUID, or a 24-hex ObjectId (USER_ID_FORMAT=objectid, and every imported user).' }),
    fullName: z.object({ firstName: z.string(), lastName: z.string().nullable() }),
    email: z.email(),
    emailVerified: z.boolean().openapi({
      description: 'True once a verification link or a password reset proved the inbox is the user’s.',
    }),
    profilePic: z.string().nullable().openapi({
      description: 'An https URL of the picture the identity provider gave when the account was created or linked; null otherwise.',
    }),
    socketId: z.null(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User')

export type PublicUser = z.output<typeof User>

/** Login's answer, and a provider's sign-in: the user, the session token (also set as the cookie). */
export const AuthResult = z
  .object({
    message: z.string(),
    user: User,
    token: z.string().openapi({ description: 'The JWT (HS256); the same value is set as the `__Host-token` cookie.' }),
  })
  .openapi('AuthResult')

export const MessageResult = z.object({ message: z.string() }).openapi('MessageResult')

/** The codes with their statuses and meanings, as the document lists them. */
const codeList = ERROR_CODES.map((code) => `- \`${code}\` (${ERRORS[code].status}): ${ERRORS[code].description}`).join('\n')

export const ErrorSchema = z
  .object({
    status: z.int().min(400).max(599),
    message: z.string(),
    code: z.enum(ERROR_CODES).openapi({ description: `What went wrong, as a stable value to key on (the message is for people):\n${codeList}` }),
  })
  .openapi('Error', { description: 'Every error: the status repeated in the body, a message and a code.' })

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
  .object({
    status: z.literal(400),
    message: z.literal('Validation failed'),
    code: z.literal('VALIDATION_FAILED'),
    errors: z.array(FieldErrorSchema).min(1),
  })
  .openapi('ValidationError', { description: 'One entry per failing field.' })

// A ValidationError is also an Error, so the 400 union must be anyOf, not oneOf.
export const BadRequest = z
  .union([ValidationError, ErrorSchema])
  .openapi('BadRequest', { description: 'A ValidationError, or an Error for a body that cannot be read.' }, { unionPreferredType: 'anyOf' })

export type FieldError = z.output<typeof FieldErrorSchema>
