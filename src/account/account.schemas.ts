import { z } from '@hono/zod-openapi'
import {
  canonicalName,
  chosenPassword,
  currentPassword,
  email,
  firstName,
  fullName,
  lastName,
  nameShapes,
  oneOfShapes,
} from '../users/users.schemas'

// Request bodies of the account-lifecycle routes, built from the users' field builders: the same
// rules and messages as register, login and change password.

/** The token of an emailed link (`#verify=<token>` / `#reset=<token>`). */
const linkToken = z
  .string({ error: (iss) => (iss.input === undefined ? 'Token is required' : 'Token must be a string') })
  .min(1, 'Token is required')
  .max(200, 'Token must be at most 200 characters')
  .openapi({ description: 'The token from the emailed link, exactly as it appears after `#verify=` or `#reset=`.' })

export const forgotPasswordSchema = z.object({ email }).openapi('ForgotPasswordBody')

export const resetPasswordSchema = z
  .object({
    token: linkToken,
    newPassword: chosenPassword('New password', 'Follows the register password rules.'),
  })
  .openapi('ResetPasswordBody')

export const verifyEmailSchema = z.object({ token: linkToken }).openapi('VerifyEmailBody')

export const deleteAccountSchema = z.object({ password: currentPassword('Password') }).openapi('DeleteAccountBody')

const profileBody = z.object({ fullName })

/** The body as clients send it: the name in any of register's three shapes. */
export type UpdateProfileRequest =
  | { fullName: z.input<typeof fullName> }
  | { fullname: { firstname: z.input<typeof firstName>; lastname?: z.input<typeof lastName> } }

/** The three bodies as the document shows them (UpdateProfileBody is oneOf these). Documentation only. */
export const profileShapes = nameShapes('Profile', {})

/** The name is the one thing PATCH /profile changes; errors name the canonical path, as at register. */
export const updateProfileSchema = z
  .preprocess<unknown, typeof profileBody, UpdateProfileRequest>(canonicalName, profileBody)
  .openapi('UpdateProfileBody', {
    type: 'object',
    description: 'The new name, in one of register’s three shapes; errors name the canonical path (`fullName.firstName`, ...).',
    oneOf: oneOfShapes(profileShapes),
  })

export type UpdateProfileInput = z.output<typeof updateProfileSchema>
