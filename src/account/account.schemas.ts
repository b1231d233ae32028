import { z } from '@hono/zod-openapi'
import { chosenPassword, email } from '../core/fields'

// Request bodies of the account-lifecycle routes: the same field rules and messages as register,
// login and change password.

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
