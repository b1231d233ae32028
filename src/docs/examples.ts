// The shared part of every feature's examples: the example user and the error bodies any route can
// answer. A request example and the response example that answers it share one name, so a test can
// replay every request example against the real app and expect the documented status
// (test/docs.test.ts). Run in document order on an empty database they produce exactly these answers.

export type Example = { summary: string; value: unknown }
export type Examples = Record<string, Example>

export const JOHN = 'john.doe@example.com'
export const PASSWORD = 'correct horse battery'
export const NEW_PASSWORD = 'battery staple horse'
export const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YzFmM2E1MiJ9.c2lnbmF0dXJl'

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

export const fieldError = (path: string, msg: string) => ({ msg, param: path, path, location: 'body' as const })

/** A 400 in the validation shape. */
export const validation = (...errors: ReturnType<typeof fieldError>[]) => ({
  status: 400,
  message: 'Validation failed',
  errors,
})

const error = (status: number, message: string, summary = message): Examples => ({
  default: { summary, value: { status, message } },
})

/** The errors the shared responses (docs/responses.ts) document. */
export const errorExamples = {
  malformed: {
    malformed: { summary: 'malformed JSON', value: { status: 400, message: 'Malformed JSON in request body' } },
    notUtf8: { summary: 'bytes that are not UTF-8', value: { status: 400, message: 'Request body must be valid UTF-8' } },
  },
  unauthorized: error(401, 'Unauthorized', 'no valid token'),
  forbidden: error(403, 'Forbidden: origin not allowed', 'the session cookie from an origin that is not allowed'),
  tooLarge: error(413, 'Request body too large (limit 16 KiB)'),
  notJson: error(415, 'Content-Type must be application/json'),
  wrongCharset: {
    charset: { summary: 'a charset other than utf-8', value: { status: 415, message: 'Content-Type charset must be utf-8' } },
  },
  tooMany: error(429, 'Too many requests'),
  methodNotAllowed: error(405, 'Method not allowed', 'a method the path does not serve'),
  internal: error(500, 'Internal server error'),
  unavailable: {
    database: { summary: 'D1 could not be reached', value: { status: 503, message: 'Database unavailable' } },
    kv: { summary: 'KV could not be reached (routes that read or write a token revocation)', value: { status: 503, message: 'Service temporarily unavailable' } },
  },
} satisfies Record<string, Examples>
