import type { ContentfulStatusCode } from 'hono/utils/http-status'

type ErrorSpec = { status: ContentfulStatusCode; message: string; description: string }

/**
 * Every error this API answers, by its stable code: the status and message it comes with, and what
 * it means (the OpenAPI document lists them). Clients, dialects and tests key on the code, never
 * on the message.
 */
export const ERRORS = {
  // A request that cannot be read.
  VALIDATION_FAILED: { status: 400, message: 'Validation failed', description: 'A field is invalid; `errors[]` has one entry per failing field.' },
  BODY_NOT_OBJECT: { status: 400, message: 'Request body must be a JSON object', description: 'The body is JSON, but not an object (an array, a string, null).' },
  MALFORMED_JSON: { status: 400, message: 'Malformed JSON in request body', description: 'The body is not JSON.' },
  INVALID_UTF8: { status: 400, message: 'Request body must be valid UTF-8', description: 'The body has bytes that are not UTF-8.' },
  BAD_REQUEST: { status: 400, message: 'Bad request', description: 'Refused by the framework before this API’s own checks; the status and message say why.' },
  BODY_TOO_LARGE: { status: 413, message: 'Request body too large (limit 16 KiB)', description: 'The body is over 16 KiB.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type must be application/json', description: 'The body is not sent as `application/json`.' },
  UNSUPPORTED_CHARSET: { status: 415, message: 'Content-Type charset must be utf-8', description: 'The body is sent with a `charset` other than utf-8.' },
  NOT_FOUND: { status: 404, message: 'Not found', description: 'No route has this path.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed', description: 'The path exists, not with this method; `Allow` lists its methods.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests', description: 'Over a rate limit or the hourly email cap; retry after `Retry-After` seconds.' },
  // Who is asking.
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', description: 'No valid token: missing, malformed, expired, revoked, or issued before a password change.' },
  BAD_CREDENTIALS: { status: 401, message: 'Invalid email or password', description: 'Unknown email or wrong password (one answer for both).' },
  WRONG_PASSWORD: { status: 401, message: 'Invalid password', description: 'The password that confirms an account deletion, or an email verification, is wrong.' },
  OIDC_TOKEN_INVALID: { status: 401, message: 'Invalid ID token', description: 'The provider’s ID token is refused (signature, issuer, audience, lifetime, or, to delete an account, not a fresh token of a linked identity); which check failed is not told.' },
  OIDC_EMAIL_NOT_VERIFIED: { status: 401, message: 'Email not verified by the provider', description: 'A valid ID token whose `email_verified` is not true: no account is created or linked.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'Forbidden: origin not allowed', description: 'The session cookie, sent from a context that may not change state with it.' },
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Email not verified', description: 'Right password, but REQUIRE_EMAIL_VERIFICATION is on and the email is not verified.' },
  // The account.
  USER_EXISTS: { status: 409, message: 'User already exists', description: 'The email is taken.' },
  OIDC_USER_NOT_FOUND: { status: 404, message: 'User not found. Please sign up first.', description: 'Sign-in with a provider while OIDC_SIGNUP is false, for an email without an account; `email`, `firstName`, `lastName` and `picture` prefill a sign-up form.' },
  EMAIL_ALREADY_VERIFIED: { status: 409, message: 'Email already verified', description: 'There is nothing to verify.' },
  LINK_INVALID: { status: 400, message: 'Invalid or expired token', description: 'An emailed link that is expired, used, or not one.' },
  // The server.
  INTERNAL_ERROR: { status: 500, message: 'Internal server error', description: 'An unexpected failure or an invalid configuration; logged, never sent.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'Database unavailable', description: 'D1 could not be reached; nothing was written half-way.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service temporarily unavailable', description: 'KV could not be reached; no token was accepted unchecked.' },
  OIDC_PROVIDER_UNAVAILABLE: { status: 503, message: 'Identity provider unavailable', description: 'The provider’s discovery document or keys (JWKS) could not be fetched; nothing was written.' },
  HEALTH_CHECK_FAILED: { status: 503, message: 'Unavailable', description: 'GET /health: a dependency failed; the message names it.' },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]
