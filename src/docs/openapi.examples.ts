// Named examples. A request example and the response example that answers it share one name, so a
// test can replay every request example against the real app and expect the documented status
// (test/docs.test.ts). Run in document order on an empty database they produce exactly these answers.

const JOHN = 'john.doe@example.com'
const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'battery staple horse'

const user = (firstName: string, lastName: string | null, email: string) => ({
  _id: '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d',
  fullName: { firstName, lastName },
  email,
  emailVerified: false,
  profilePic: null,
  socketId: null,
  createdAt: '2026-04-20T09:30:00.000Z',
  updatedAt: '2026-04-20T09:30:00.000Z',
})

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YzFmM2E1MiJ9.c2lnbmF0dXJl'

const fieldError = (path: string, msg: string) => ({ msg, param: path, path, location: 'body' as const })
const validation = (...errors: ReturnType<typeof fieldError>[]) => ({
  status: 400,
  message: 'Validation failed',
  errors,
})

export type Example = { summary: string; value: unknown }
export type Examples = Record<string, Example>

export const register = {
  request: {
    fullNameObject: {
      summary: 'fullName as an object (201)',
      value: { fullName: { firstName: 'John', lastName: 'Doe' }, email: JOHN, password: PASSWORD },
    },
    legacyFullname: {
      summary: 'legacy lowercase fullname (201)',
      value: { fullname: { firstname: 'Jane', lastname: 'Roe' }, email: 'jane.roe@example.com', password: PASSWORD },
    },
    fullNameString: {
      summary: 'fullName as one string (201)',
      value: { fullName: 'Ada Byron King', email: 'ada@example.com', password: PASSWORD },
    },
    duplicate: {
      summary: 'an email that exists, in another case (409)',
      value: { fullName: { firstName: 'Johnny', lastName: null }, email: 'John.Doe@Example.com', password: PASSWORD },
    },
    invalid: {
      summary: 'three invalid fields (400)',
      value: { fullName: { firstName: 'Jo' }, email: 'not-an-email', password: 'short' },
    },
    notAnObject: { summary: 'a body that is not a JSON object (400)', value: ['john.doe@example.com'] },
  },
  created: {
    fullNameObject: {
      summary: 'registered',
      value: { message: 'User registered successfully', user: user('John', 'Doe', JOHN), token: TOKEN },
    },
    legacyFullname: {
      summary: 'registered (the name is returned in the canonical shape)',
      value: {
        message: 'User registered successfully',
        user: user('Jane', 'Roe', 'jane.roe@example.com'),
        token: TOKEN,
      },
    },
    fullNameString: {
      summary: 'registered (split at the first whitespace)',
      value: {
        message: 'User registered successfully',
        user: user('Ada', 'Byron King', 'ada@example.com'),
        token: TOKEN,
      },
    },
  },
  conflict: { duplicate: { summary: 'the email is taken', value: { status: 409, message: 'User already exists' } } },
  invalid: {
    invalid: {
      summary: 'one entry per failing field',
      value: validation(
        fieldError('fullName.firstName', 'First name must be at least 3 characters'),
        fieldError('email', 'Email must be a valid email address'),
        fieldError('password', 'Password must be at least 8 characters'),
      ),
    },
    notAnObject: { summary: 'not an object', value: { status: 400, message: 'Request body must be a JSON object' } },
  },
} satisfies Record<string, Examples>

export const login = {
  request: {
    valid: { summary: 'right password (200)', value: { email: JOHN, password: PASSWORD } },
    wrongPassword: { summary: 'wrong password (401)', value: { email: JOHN, password: 'not the password' } },
    unknownEmail: {
      summary: 'unknown email: same answer (401)',
      value: { email: 'nobody@example.com', password: PASSWORD },
    },
    invalid: { summary: 'invalid fields (400)', value: { email: 'john.doe', password: '' } },
  },
  ok: {
    valid: {
      summary: 'logged in',
      value: { message: 'Login successful', user: user('John', 'Doe', JOHN), token: TOKEN },
    },
  },
  refused: {
    wrongPassword: { summary: 'wrong password', value: { status: 401, message: 'Invalid email or password' } },
    unknownEmail: { summary: 'unknown email', value: { status: 401, message: 'Invalid email or password' } },
  },
  invalid: {
    invalid: {
      summary: 'one entry per failing field',
      value: validation(
        fieldError('email', 'Email must be a valid email address'),
        fieldError('password', 'Password is required'),
      ),
    },
  },
} satisfies Record<string, Examples>

export const changePassword = {
  request: {
    valid: {
      summary: 'right old password (200)',
      value: { email: JOHN, oldPassword: PASSWORD, newPassword: NEW_PASSWORD },
    },
    wrongOldPassword: {
      summary: 'wrong old password (401)',
      value: { email: 'jane.roe@example.com', oldPassword: 'not her password', newPassword: NEW_PASSWORD },
    },
    samePassword: {
      summary: 'new password equal to the old one (400)',
      value: { email: JOHN, oldPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD },
    },
  },
  ok: {
    valid: { summary: 'changed', value: { success: true, message: 'Password updated successfully' } },
  },
  refused: {
    wrongOldPassword: { summary: 'wrong old password', value: { status: 401, message: 'Invalid email or password' } },
  },
  invalid: {
    samePassword: {
      summary: 'the new password must differ',
      value: validation(fieldError('newPassword', 'New password must differ from the old password')),
    },
  },
} satisfies Record<string, Examples>

const error = (status: number, message: string, summary = message): Examples => ({
  default: { summary, value: { status, message } },
})

export const errors = {
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
  healthDown: {
    d1: { summary: 'D1 did not answer', value: { status: 503, message: 'Unavailable: D1' } },
    usersTable: { summary: 'D1 answered, without the users table', value: { status: 503, message: 'Unavailable: D1 (users table missing)' } },
    kv: { summary: 'KV did not answer', value: { status: 503, message: 'Unavailable: KV' } },
    both: { summary: 'neither answered', value: { status: 503, message: 'Unavailable: D1, KV' } },
    configuration: {
      summary: 'a secret, setting or binding is missing or invalid (the log says which)',
      value: { status: 503, message: 'Unavailable: configuration' },
    },
  },
}

export const simple = {
  profile: { default: { summary: 'the token’s user', value: { user: user('John', 'Doe', JOHN) } } },
  logout: { default: { summary: 'logged out', value: { message: 'Logged out successfully' } } },
  logoutAll: { default: { summary: 'every session ended', value: { message: 'Logged out from all sessions' } } },
  health: { default: { summary: 'configuration valid, D1 and KV answered', value: { status: 'ok' } } },
} satisfies Record<string, Examples>

// The account lifecycle (src/account/) and the session check. The link examples cannot carry a
// working token (it is emailed): their request examples are the refusals, replayed like the others.
const FORGOT = 'If an account exists for this email, a reset link has been sent'
const EXPIRED_LINK = '7c1f3a52-3d4e-4b9a-9c0e-2f5d6a8b1c3d.1776677400.q1vJ0bq5b0mJ7oQkq2n9l3pQm0b4Tq8wUo6yXb2rZcE'
const invalidLink = { status: 400, message: 'Invalid or expired token' }

export const account = {
  forgotPassword: {
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
  },
  resetPassword: {
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
  },
  verifyEmail: {
    request: {
      expired: { summary: 'the token from the link (this one has expired: 400)', value: { token: EXPIRED_LINK } },
    },
    ok: { verified: { summary: 'the email is verified', value: { message: 'Email verified successfully' } } },
    invalid: { expired: { summary: 'expired, used, or not a token', value: invalidLink } },
  },
  requestVerification: {
    accepted: { default: { summary: 'a new link is on its way', value: { message: 'Verification email sent' } } },
    verified: { default: { summary: 'nothing to verify', value: { status: 409, message: 'Email already verified' } } },
  },
  updateProfile: {
    request: {
      fullNameObject: {
        summary: 'fullName as an object (200)',
        value: { fullName: { firstName: 'Jonathan', lastName: 'Doe' } },
      },
      legacyFullname: {
        summary: 'legacy lowercase fullname (200)',
        value: { fullname: { firstname: 'Johnny', lastname: null } },
      },
      fullNameString: { summary: 'fullName as one string (200)', value: { fullName: 'John Ronald Doe' } },
      invalid: { summary: 'a first name too short (400)', value: { fullName: { firstName: 'Jo' } } },
    },
    ok: {
      fullNameObject: { summary: 'renamed', value: { user: user('Jonathan', 'Doe', JOHN) } },
      legacyFullname: { summary: 'renamed (canonical shape)', value: { user: user('Johnny', null, JOHN) } },
      fullNameString: { summary: 'renamed (split at the first whitespace)', value: { user: user('John', 'Ronald Doe', JOHN) } },
    },
    invalid: {
      invalid: {
        summary: 'one entry per failing field',
        value: validation(fieldError('fullName.firstName', 'First name must be at least 3 characters')),
      },
    },
  },
  deleteAccount: {
    request: {
      valid: { summary: 'the right password (200)', value: { password: PASSWORD } },
      wrongPassword: { summary: 'a wrong password (401)', value: { password: 'not the password' } },
    },
    ok: { valid: { summary: 'the account is gone', value: { message: 'Account deleted' } } },
    refused: { wrongPassword: { summary: 'a wrong password', value: { status: 401, message: 'Invalid password' } } },
    invalid: {
      missing: { summary: 'no password', value: validation(fieldError('password', 'Password is required')) },
    },
  },
} satisfies Record<string, Record<string, Examples>>

export const session = {
  signedIn: { summary: 'a valid session', value: { user: user('John', 'Doe', JOHN) } },
  signedOut: { summary: 'no session (no token, or one that is refused)', value: { user: null } },
} satisfies Examples

export const unverifiedLogin = {
  unverified: { summary: 'REQUIRE_EMAIL_VERIFICATION is on', value: { status: 403, message: 'Email not verified' } },
} satisfies Examples
