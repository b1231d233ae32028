import { z } from '@hono/zod-openapi'
import { chosenPassword, currentPassword, email, idToken } from '../core/fields'
import { User } from '../core/schemas'

export { AuthResult } from '../core/schemas'
import { canonicalName, firstName, fullName, lastName, nameShapes, oneOfShapes } from './names'

const registerPassword = chosenPassword(
  'Password',
  'At least 8 characters and at most 72 bytes of UTF-8 (longer is refused, never truncated).',
)
const registerBody = z.object({ fullName, email, password: registerPassword })

/** The body as clients send it (any of the three name shapes): the typed client's register input. */
export type RegisterRequest = Omit<z.input<typeof registerBody>, 'fullName'> &
  (
    | { fullName: z.input<typeof fullName> }
    | { fullname: { firstname: z.input<typeof firstName>; lastname?: z.input<typeof lastName> } }
  )

/** The three register bodies as the document shows them (`RegisterBody` is oneOf these). */
export const registerShapes = nameShapes('Register', 'Register', { email, password: registerPassword })

// Each documented shape is a body the typed client accepts.
const shapesMatch: [z.input<(typeof registerShapes)[keyof typeof registerShapes]>] extends [RegisterRequest]
  ? true
  : false = true
void shapesMatch

/**
 * What validates a register body. Its structure (rename, then one canonical object) is not what a
 * client sends, so its document entry is written out: the three shapes (with `type`, the generator
 * takes the entry as given instead of deriving it from the schema).
 */
export const registerSchema = z
  .preprocess<unknown, typeof registerBody, RegisterRequest>(canonicalName, registerBody)
  .openapi('RegisterBody', {
    type: 'object',
    description: 'One of three name shapes; errors always name the canonical path (`fullName.firstName`, ...).',
    oneOf: oneOfShapes(registerShapes),
  })

export const loginSchema = z
  .object({ email, password: currentPassword('Password') })
  .openapi('LoginBody')

export const changePasswordSchema = z
  .object({
    email,
    oldPassword: currentPassword('Old password'),
    newPassword: chosenPassword('New password', 'Follows the register password rules and must differ from oldPassword.'),
  })
  .refine((b) => b.newPassword !== b.oldPassword, {
    message: 'New password must differ from the old password',
    path: ['newPassword'],
  })
  .openapi('ChangePasswordBody')

export const deleteAccountSchema = z
  .object({
    password: currentPassword('Password').optional(),
    idToken: idToken.optional().openapi({
      description: 'Instead of the password: an ID token of a provider linked to the account, issued at most 5 minutes ago (sign in with the provider again to get one).',
    }),
  })
  .superRefine((body, ctx) => {
    if (body.password === undefined && body.idToken === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'Password is required' })
    if (body.password !== undefined && body.idToken !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['idToken'], message: 'Send the password or an ID token, not both' })
    }
  })
  .openapi('DeleteAccountBody', { description: 'The password; or, for an account that signs in with a provider, a fresh ID token of it.' })

const profileBody = z.object({ fullName })

/** The body as clients send it: the name in any of register's three shapes. */
export type UpdateProfileRequest =
  | { fullName: z.input<typeof fullName> }
  | { fullname: { firstname: z.input<typeof firstName>; lastname?: z.input<typeof lastName> } }

/** The three bodies as the document shows them (UpdateProfileBody is oneOf these). Documentation only. */
export const profileShapes = nameShapes('Profile', 'Update profile', {})

/** The name is the one thing PATCH /profile changes; errors name the canonical path, as at register. */
export const updateProfileSchema = z
  .preprocess<unknown, typeof profileBody, UpdateProfileRequest>(canonicalName, profileBody)
  .openapi('UpdateProfileBody', {
    type: 'object',
    description: 'The new name, in one of register’s three shapes; errors name the canonical path (`fullName.firstName`, ...).',
    oneOf: oneOfShapes(profileShapes),
  })


// The response bodies (handlers do not validate what they send: these type it and document it).

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

export const PasswordChanged = z.object({ success: z.literal(true), message: z.string() }).openapi('PasswordChanged')

export type RegisterInput = z.output<typeof registerSchema>
export type LoginInput = z.output<typeof loginSchema>
export type ChangePasswordInput = z.output<typeof changePasswordSchema>
export type UpdateProfileInput = z.output<typeof updateProfileSchema>
