import { errorBody, EXPIRED_ID_TOKEN, type Examples, exampleUser, fieldError, JOHN, NEW_PASSWORD, PASSWORD, TOKEN, validation } from '../docs/examples'

// The users routes' named examples (see docs/examples.ts for how they are replayed).

const JOHN_DOE = exampleUser('John', 'Doe', JOHN)

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
      value: { message: 'User registered successfully', user: JOHN_DOE, token: TOKEN },
    },
    legacyFullname: {
      summary: 'registered (the name is returned in the canonical shape)',
      value: {
        message: 'User registered successfully',
        user: exampleUser('Jane', 'Roe', 'jane.roe@example.com'),
        token: TOKEN,
      },
    },
    fullNameString: {
      summary: 'registered (split at the first whitespace)',
      value: {
        message: 'User registered successfully',
        user: exampleUser('Ada', 'Byron King', 'ada@example.com'),
        token: TOKEN,
      },
    },
  },
  conflict: { duplicate: { summary: 'the email is taken', value: errorBody('USER_EXISTS') } },
  invalid: {
    invalid: {
      summary: 'one entry per failing field',
      value: validation(
        fieldError('fullName.firstName', 'First name must be at least 3 characters'),
        fieldError('email', 'Email must be a valid email address'),
        fieldError('password', 'Password must be at least 8 characters'),
      ),
    },
    notAnObject: { summary: 'not an object', value: errorBody('BODY_NOT_OBJECT') },
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
      value: { message: 'Login successful', user: JOHN_DOE, token: TOKEN },
    },
  },
  refused: {
    wrongPassword: { summary: 'wrong password', value: errorBody('BAD_CREDENTIALS') },
    unknownEmail: { summary: 'unknown email', value: errorBody('BAD_CREDENTIALS') },
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
  unverified: {
    unverified: { summary: 'REQUIRE_EMAIL_VERIFICATION is on', value: errorBody('EMAIL_NOT_VERIFIED') },
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
    wrongOldPassword: { summary: 'wrong old password', value: errorBody('BAD_CREDENTIALS') },
  },
  invalid: {
    samePassword: {
      summary: 'the new password must differ',
      value: validation(fieldError('newPassword', 'New password must differ from the old password')),
    },
  },
} satisfies Record<string, Examples>

export const profile = {
  ok: { default: { summary: 'the token’s user', value: { user: JOHN_DOE } } },
} satisfies Record<string, Examples>

export const session = {
  ok: {
    signedIn: { summary: 'a valid session', value: { user: JOHN_DOE } },
    signedOut: { summary: 'no session (no token, or one that is refused)', value: { user: null } },
  },
} satisfies Record<string, Examples>

export const logout = {
  ok: { default: { summary: 'logged out', value: { message: 'Logged out successfully' } } },
} satisfies Record<string, Examples>

export const logoutAll = {
  ok: { default: { summary: 'every session ended', value: { message: 'Logged out from all sessions' } } },
} satisfies Record<string, Examples>

export const updateProfile = {
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
    fullNameObject: { summary: 'renamed', value: { user: exampleUser('Jonathan', 'Doe', JOHN) } },
    legacyFullname: { summary: 'renamed (canonical shape)', value: { user: exampleUser('Johnny', null, JOHN) } },
    fullNameString: { summary: 'renamed (split at the first whitespace)', value: { user: exampleUser('John', 'Ronald Doe', JOHN) } },
  },
  invalid: {
    invalid: {
      summary: 'one entry per failing field',
      value: validation(fieldError('fullName.firstName', 'First name must be at least 3 characters')),
    },
  },
} satisfies Record<string, Examples>

export const deleteAccount = {
  request: {
    valid: { summary: 'the right password (200)', value: { password: PASSWORD } },
    wrongPassword: { summary: 'a wrong password (401)', value: { password: 'not the password' } },
    staleIdToken: {
      summary: 'instead of the password, an ID token of a linked identity; this one is expired (401)',
      value: { idToken: EXPIRED_ID_TOKEN },
    },
  },
  ok: { valid: { summary: 'the account is gone', value: { message: 'Account deleted' } } },
  refused: {
    wrongPassword: { summary: 'a wrong password', value: errorBody('WRONG_PASSWORD') },
    staleIdToken: { summary: 'an ID token that is invalid, not fresh, or of no linked identity', value: errorBody('OIDC_TOKEN_INVALID') },
  },
  invalid: {
    missing: { summary: 'no password', value: validation(fieldError('password', 'Password is required')) },
  },
} satisfies Record<string, Examples>
