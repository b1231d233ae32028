// The envelope clients (README's 000): every body is { status, data, message }; errors are
// { status, message }. The session is the cookie: the token is not repeated in the body.
import { fullNameString, userShapes } from '../core/user-shapes'
import { defineDialect, firstMessage, type Mapping, signInRoutes } from './dialect'

const envelop = (status: number, data: object, message: string): [number, object] => [status, { status, data, message }]

/** The user with `fullName` as one string ("John Doe"), as these clients read it. */
const asUser = userShapes.envelope

const loggedOut: Mapping = (s) => envelop(s, {}, 'User logged out successfully')
const registered: Mapping = (s, b) => envelop(s, asUser(b.user), 'User created successfully')
const loggedIn: Mapping = (s, { user }) =>
  envelop(s, { _id: user._id, fullName: fullNameString(user), email: user.email }, 'User logged in successfully')

export const envelope = defineDialect({
  routes: {
    'POST /register': registered,
    'POST /login': loggedIn,
    'GET /logout': loggedOut,
    'POST /logout': loggedOut,
    // Routes these clients never called, in their conventions.
    'POST /logout-all': (s) => envelop(s, {}, 'User logged out from all sessions'),
    'GET /profile': (s, b) => envelop(s, asUser(b.user), 'User profile fetched successfully'),
    'PATCH /changePassword': (s, b) => envelop(s, {}, b.message),
    ...signInRoutes(registered, loggedIn),
  },
  // A duplicate and bad credentials are 400 for these clients; unknown email and wrong password stay one answer.
  error: (_route, status, body) => {
    if (body.code === 'USER_EXISTS') return [400, { status: 400, message: body.message }]
    if (body.code === 'BAD_CREDENTIALS') return [400, { status: 400, message: 'Invalid credentials' }]
    return [status, { status, message: firstMessage(body) }]
  },
})
