import { EXAMPLE_CLIENT_ID, errorBody, EXPIRED_ID_TOKEN, type Examples, exampleUser, JOHN, TOKEN, validation, fieldError } from '../docs/examples'

// The sign-in routes' named examples (see docs/examples.ts for how they are replayed). A working ID
// token cannot be written down (it is signed by the provider and expires within the hour): the
// request examples are the refusals; the answers to a valid token are documented without one.

const PICTURE = 'https://lh3.googleusercontent.com/a/example-picture=s96-c'
const JOHN_DOE = { ...exampleUser('John', 'Doe', JOHN), emailVerified: true, profilePic: PICTURE }

export const signIn = {
  request: {
    expired: { summary: `an ID token for ${EXAMPLE_CLIENT_ID} that has expired (401)`, value: { idToken: EXPIRED_ID_TOKEN } },
    notAToken: { summary: 'not a JWT (401)', value: { idToken: 'not-an-id-token' } },
    missing: { summary: 'no idToken (400)', value: {} },
  },
  ok: {
    signedIn: {
      summary: 'a known identity, or an account with that email (linked now)',
      value: { message: 'Login successful', user: JOHN_DOE, token: TOKEN },
    },
  },
  created: {
    signedUp: {
      summary: 'a new account: the provider’s verified email, its name and picture, no password',
      value: { message: 'User registered successfully', user: JOHN_DOE, token: TOKEN },
    },
  },
  refused: {
    expired: { summary: 'expired, or any other check failed (which one is not told)', value: errorBody('OIDC_TOKEN_INVALID') },
    notAToken: { summary: 'not a JWT', value: errorBody('OIDC_TOKEN_INVALID') },
    emailNotVerified: { summary: 'a valid token whose email_verified is not true', value: errorBody('OIDC_EMAIL_NOT_VERIFIED') },
  },
  notFound: {
    signUpFirst: {
      summary: 'OIDC_SIGNUP is false and no account has this email',
      value: { ...errorBody('OIDC_USER_NOT_FOUND'), email: JOHN, firstName: 'John', lastName: 'Doe', picture: PICTURE },
    },
    disabled: { summary: 'the provider is not configured (Google: no GOOGLE_CLIENT_ID)', value: errorBody('NOT_FOUND') },
  },
  invalid: {
    missing: { summary: 'no idToken', value: validation(fieldError('idToken', 'No ID token provided')) },
  },
  unavailable: {
    provider: { summary: 'the provider’s discovery document or keys could not be fetched', value: errorBody('OIDC_PROVIDER_UNAVAILABLE') },
  },
} satisfies Record<string, Examples>
