import { createRouter } from '../http/router'
import { passwordReset } from './password-reset.routes'
import { verification } from './verification.routes'

// The account lifecycle by emailed link: a verified email, a password reset. Mounted
// by src/app.ts under /users and /api/users (and so under /compat/<name>, in the standard shape).
export const account = createRouter().route('/', verification).route('/', passwordReset)
