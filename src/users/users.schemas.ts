import { z } from '@hono/zod-openapi'
import { chosenPassword, currentPassword, email } from '../core/fields'
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
export const registerShapes = nameShapes('Register', { email, password: registerPassword })

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


export type RegisterInput = z.output<typeof registerSchema>
export type LoginInput = z.output<typeof loginSchema>
export type ChangePasswordInput = z.output<typeof changePasswordSchema>
export type UpdateProfileInput = z.output<typeof updateProfileSchema>
