// The msg clients (README's 004): `msg` instead of `message`. Change-password failures are { error },
// one text for an unknown email and a wrong old password alike.
import { userShapes } from '../core/user-shapes'
import { defineDialect, firstMessage, routeIs, type Mapping, signInRoutes } from './dialect'

const asUser = userShapes.msg

/** `{ message, ...rest }` -> `{ msg, ...rest }`. */
const renamed: Mapping = (s, { message, ...rest }) => [s, { ...rest, msg: message }]
const registered: Mapping = (s, b) => [s, { user: asUser(b.user), token: b.token }]
const loggedIn: Mapping = (s, b) => [s, { msg: 'User login successful', user: asUser(b.user), token: b.token }]

export const msg = defineDialect({
  routes: {
    'POST /register': registered,
    'POST /login': loggedIn,
    'PATCH /changePassword': (s, b) => [s, { success: true, msg: b.message }],
    // Routes these clients never called, in their conventions.
    'GET /profile': (s, b) => [s, { user: asUser(b.user) }],
    'GET /logout': renamed,
    'POST /logout': renamed,
    'POST /logout-all': renamed,
    ...signInRoutes(registered, loggedIn),
  },
  error: (route, status, body) => {
    if (routeIs(route, 'PATCH /changePassword') && body.code === 'BAD_CREDENTIALS') return [401, { error: body.message }]
    // These clients read both { msg, path } and { msg, param, location }: every entry keeps all four keys.
    if (body.errors) return [400, { msg: firstMessage(body), errors: body.errors }]
    if (body.code === 'USER_EXISTS') return [400, { msg: body.message }]
    return [status, { msg: body.message }]
  },
})
