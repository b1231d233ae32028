// The id clients (README's 001): the user is identified by `id`; errors are { message } (+ errors[]
// of { msg, param, location } for validation: 422 on register, 400 elsewhere); 401 says "Unauthorized!".
import { userShapes } from '../core/user-shapes'
import { defineDialect, fieldErrors, firstMessage, routeIs, type Mapping, signInRoutes } from './dialect'

/** One user shape for every route: the profile shows it whole; register and login a part of it. */
const asUser = userShapes.id

const authenticated =
  (message: string): Mapping =>
  (s, b) => [s, { message, user: asUser(b.user), token: b.token }]

export const id = defineDialect({
  routes: {
    'POST /register': authenticated('User registered successfully'),
    'POST /login': authenticated('Login successful'),
    'GET /profile': (s, b) => [s, { user: asUser(b.user) }],
    ...signInRoutes(authenticated('User registered successfully'), authenticated('Login successful')),
  },
  error: (route, status, body) => {
    if (body.errors) {
      const errors = fieldErrors(body, ['msg', 'param', 'location'])
      return [routeIs(route, 'POST /register') ? 422 : 400, { message: firstMessage(body), errors }]
    }
    // JSON that is not an object fails the same validation (no field can be read from it): 422 on
    // register, with the one error as the body's. Malformed JSON stays 400: it never reached
    // validation (Express's body parser refused it before express-validator ran).
    if (body.code === 'BODY_NOT_OBJECT') {
      const errors = [{ msg: body.message, param: '', location: 'body' }]
      return [routeIs(route, 'POST /register') ? 422 : 400, { message: body.message, errors }]
    }
    if (body.code === 'UNAUTHORIZED') return [401, { message: 'Unauthorized!' }]
    return [status, { message: body.message }]
  },
})
