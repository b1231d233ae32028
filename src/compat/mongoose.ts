// The mongoose clients (README's 002 and 003; where their backends differed, login answers 200): the
// user is a mongoose document with lowercase `fullname`, and the profile answers that document bare.
import { userShapes } from '../core/user-shapes'
import { defineDialect, fieldErrors, firstMessage, type Mapping, signInRoutes } from './dialect'

const asDocument = userShapes.mongoose

/** The name's field paths as these clients send them (`fullname.firstname`), not as we name them (`fullName.firstName`). */
const documentPath = (path: string) =>
  path.replace(/^fullName(?=\.|$)/, 'fullname').replace(/^fullname\.(first|last)Name$/, 'fullname.$1name')

const authenticated: Mapping = (s, b) => [s, { user: asDocument(b.user), token: b.token }]

/** Their Google sign-in: 200 `{ token, user, picture }` for a new account too (these clients check for 200). */
const signedIn: Mapping = (_s, b) => [200, { token: b.token, user: asDocument(b.user), picture: b.user.profilePic }]

export const mongoose = defineDialect({
  routes: {
    'POST /register': authenticated,
    'POST /login': authenticated,
    'GET /profile': (s, b) => [s, asDocument(b.user)],
    ...signInRoutes(signedIn, signedIn),
    // logout, logout-all and changePassword already answer { message, ... } as these clients read it.
  },
  error: (_route, status, body) => {
    if (body.errors) {
      const errors = fieldErrors(body, ['msg', 'param', 'location'])?.map((e) => ({ ...e, param: documentPath(e.param) }))
      return [400, { message: firstMessage(body), errors }]
    }
    if (body.code === 'USER_EXISTS') return [400, { message: body.message }]
    if (status === 500) return [500, { message: 'An unexpected error occurred.' }] // the text these clients show
    return [status, { message: body.message }]
  },
})
