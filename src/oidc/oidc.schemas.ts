import { z } from '@hono/zod-openapi'
import { idToken } from '../core/fields'
import { ErrorSchema } from '../core/schemas'

// Sign-in with a provider: the body, the route's provider, and the sign-up hint.

export const signInSchema = z.object({ idToken }).openapi('IdTokenBody')

export const providerParams = z.object({
  provider: z.string().openapi({
    param: { name: 'provider', in: 'path' },
    description: '`google` (with GOOGLE_CLIENT_ID), or a name configured in OIDC_PROVIDERS. Another name: 404.',
    example: 'google',
  }),
})

/** The 404 of a sign-in while OIDC_SIGNUP is false: what the provider said, for a sign-up form. */
export const SignUpHint = z.object({
  status: z.literal(404),
  message: z.string(),
  code: z.literal('OIDC_USER_NOT_FOUND'),
  email: z.email(),
  firstName: z.string(),
  lastName: z.string().nullable(),
  picture: z.string().nullable().openapi({ description: 'An https URL, or null.' }),
}).openapi('SignUpHint', { description: 'No account has this email and OIDC_SIGNUP is false: the provider’s email, name and picture, to prefill a sign-up form.' })

// A SignUpHint is also an Error, so the 404 union must be anyOf, not oneOf.
export const SignInNotFound = z
  .union([SignUpHint, ErrorSchema])
  .openapi('SignInNotFound', { description: 'A SignUpHint, or the Error of a provider that is not configured.' }, { unionPreferredType: 'anyOf' })
