// The shared part of every feature's examples: the example user and the error bodies any route can
// answer. A request example and the response example that answers it share one name, so a test can
// replay every request example against the real app and expect the documented status
// (test/docs/openapi.test.ts). Run in document order on an empty database they produce exactly these answers.

import { type ErrorCode, ERRORS } from '../core/error-codes'

export type Example = { summary: string; value: unknown }
export type Examples = Record<string, Example>

export const JOHN = 'john.doe@example.com'
export const PASSWORD = 'correct horse battery'
export const NEW_PASSWORD = 'battery staple horse'
export const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YzFmM2E1MiJ9.c2lnbmF0dXJl'

/** The client id the examples' ID tokens are issued to (the Google OAuth client of a front end). */
export const EXAMPLE_CLIENT_ID = '1234567890-example.apps.googleusercontent.com'

/**
 * A Google ID token for john.doe@example.com, issued to EXAMPLE_CLIENT_ID on 2026-04-20, expired an
 * hour later (its signature is not a real one either): every check that needs no key refuses it, so
 * replaying it never reaches Google.
 */
export const EXPIRED_ID_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjZmNzI1NDEwMWY1NmU0MWNmMzVjOTkyNmRlODRhMmQ1NTJiNGM2ZjEiLCJ0eXAiOiJKV1QifQ.' +
  'eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20iLCJhenAiOiIxMjM0NTY3ODkwLWV4YW1wbGUuYXBwcy5nb29nbGV1c2VyY29udGVudC5jb20iLCJhdWQiOiIxMjM0NTY3ODkwLWV4YW1wbGUuYXBwcy5nb29nbGV1c2VyY29udGVudC5jb20iLCJzdWIiOiIxMTAxNjk0ODQ0NzQzODYyNzYzMzQiLCJlbWFpbCI6ImpvaG4uZG9lQGV4YW1wbGUuY29tIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsIm5hbWUiOiJKb2huIERvZSIsImdpdmVuX25hbWUiOiJKb2huIiwiZmFtaWx5X25hbWUiOiJEb2UiLCJpYXQiOjE3NzY2Nzc0MDAsImV4cCI6MTc3NjY4MTAwMH0.' +
  'YW4gZXhwaXJlZCBleGFtcGxlOiB0aGUgc2lnbmF0dXJlIGlzIG5vdCByZWFs'

/** The example user as the API shows it (one id and one date for every example). */
export const exampleUser = (firstName: string, lastName: string | null, email: string) => ({
  _id: '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d',
  fullName: { firstName, lastName },
  email,
  emailVerified: false,
  profilePic: null,
  socketId: null,
  createdAt: '2026-04-20T09:30:00.000Z',
  updatedAt: '2026-04-20T09:30:00.000Z',
})

/** An error body as the API sends it: the code's status and message, or a message of its own. */
export const errorBody = (code: ErrorCode, message: string = ERRORS[code].message) => ({ status: ERRORS[code].status, message, code })

export const fieldError = (path: string, msg: string) => ({ msg, param: path, path, location: 'body' as const })

/** A 400 in the validation shape. */
export const validation = (...errors: ReturnType<typeof fieldError>[]) => ({ ...errorBody('VALIDATION_FAILED'), errors })

const error = (code: ErrorCode, summary: string = ERRORS[code].message): Examples => ({
  default: { summary, value: errorBody(code) },
})

/** The errors the shared responses (docs/responses.ts) document. */
export const errorExamples = {
  malformed: {
    malformed: { summary: 'malformed JSON', value: errorBody('MALFORMED_JSON') },
    notUtf8: { summary: 'bytes that are not UTF-8', value: errorBody('INVALID_UTF8') },
  },
  unauthorized: error('UNAUTHORIZED', 'no valid token'),
  forbidden: error('ORIGIN_NOT_ALLOWED', 'the session cookie from an origin that is not allowed'),
  tooLarge: error('BODY_TOO_LARGE'),
  notJson: error('UNSUPPORTED_MEDIA_TYPE'),
  wrongCharset: {
    charset: { summary: 'a charset other than utf-8', value: errorBody('UNSUPPORTED_CHARSET') },
  },
  tooMany: error('RATE_LIMITED'),
  methodNotAllowed: error('METHOD_NOT_ALLOWED', 'a method the path does not serve'),
  internal: error('INTERNAL_ERROR'),
  unavailable: {
    database: { summary: 'D1 could not be reached', value: errorBody('DATABASE_UNAVAILABLE') },
    kv: { summary: 'KV could not be reached (routes that read or write a token revocation)', value: errorBody('SERVICE_UNAVAILABLE') },
  },
} satisfies Record<string, Examples>
