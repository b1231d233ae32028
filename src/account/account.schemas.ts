import { z } from '@hono/zod-openapi'
import { chosenPassword, currentPassword, email } from '../core/fields'

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

/** The 400 on `password` that tells a front end to ask for it (REQUIRE_EMAIL_VERIFICATION is on). */
export const VERIFY_NEEDS_PASSWORD = 'Password is required to verify this address'

export const verifyEmailSchema = z
  .object({
    token: linkToken,
    password: currentPassword('Password')
      .optional()
      .openapi({
        description:
          'The account’s password. Required while REQUIRE_EMAIL_VERIFICATION is on (the link alone proves the inbox, not who chose the password); checked whenever it is given.',
      }),
  })
  .openapi('VerifyEmailBody')
