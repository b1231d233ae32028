import { errorBody, type Examples, fieldError, JOHN, NEW_PASSWORD, PASSWORD, validation } from '../docs/examples'
import { VERIFY_NEEDS_PASSWORD } from './account.schemas'

// The account routes' named examples (see docs/examples.ts for how they are replayed). A link
// example cannot carry a working token (it is emailed): its request examples are the refusals.

const FORGOT = 'If an account exists for this email, a reset link has been sent'
const EXPIRED_LINK = '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d.1776677400.q1vJ0bq5b0mJ7oQkq2n9l3pQm0b4Tq8wUo6yXb2rZcE'
const invalidLink = errorBody('LINK_INVALID')

export const forgotPassword = {
  request: {
    known: { summary: 'an email with an account (202)', value: { email: JOHN } },
    unknown: { summary: 'an email without one: the same answer (202)', value: { email: 'nobody@example.com' } },
    invalid: { summary: 'not an email (400)', value: { email: 'john.doe' } },
  },
  accepted: {
    known: { summary: 'a link is on its way', value: { message: FORGOT } },
    unknown: { summary: 'nothing is sent, nothing tells', value: { message: FORGOT } },
  },
  invalid: {
    invalid: { summary: 'not an email', value: validation(fieldError('email', 'Email must be a valid email address')) },
  },
} satisfies Record<string, Examples>

export const resetPassword = {
  request: {
    expired: {
      summary: 'the token from the link (this one has expired: 400)',
      value: { token: EXPIRED_LINK, newPassword: NEW_PASSWORD },
    },
    weak: { summary: 'a new password that breaks the rules (400)', value: { token: EXPIRED_LINK, newPassword: 'short' } },
  },
  ok: { reset: { summary: 'the password is replaced, every session ended', value: { message: 'Password has been reset' } } },
  invalid: {
    expired: { summary: 'expired, used, or not a token', value: invalidLink },
    weak: { summary: 'the register rules', value: validation(fieldError('newPassword', 'New password must be at least 8 characters')) },
  },
} satisfies Record<string, Examples>

export const verifyEmail = {
  request: {
    expired: { summary: 'the token from the link (this one has expired: 400)', value: { token: EXPIRED_LINK } },
    withPassword: {
      summary: 'with the account’s password, as REQUIRE_EMAIL_VERIFICATION requires (this link has expired: 400)',
      value: { token: EXPIRED_LINK, password: PASSWORD },
    },
  },
  ok: { verified: { summary: 'the email is verified', value: { message: 'Email verified successfully' } } },
  invalid: {
    expired: { summary: 'expired, used, or not a token', value: invalidLink },
    withPassword: { summary: 'the link is checked first', value: invalidLink },
    passwordRequired: {
      summary: 'REQUIRE_EMAIL_VERIFICATION is on and no password was sent: ask for it',
      value: validation(fieldError('password', VERIFY_NEEDS_PASSWORD)),
    },
  },
  wrongPassword: { default: { summary: 'not the account’s password', value: errorBody('WRONG_PASSWORD') } },
} satisfies Record<string, Examples>

export const requestVerification = {
  accepted: { default: { summary: 'a new link is on its way', value: { message: 'Verification email sent' } } },
  verified: { default: { summary: 'nothing to verify', value: errorBody('EMAIL_ALREADY_VERIFIED') } },
} satisfies Record<string, Examples>
