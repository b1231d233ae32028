import { createRouter } from '../http/router'
import { passwordResetRouter } from './password-reset.routes'
import { verificationRouter } from './verification.routes'

// The account lifecycle by emailed link: a verified email, a password reset. Mounted
// by src/app.ts under /users and /api/users (and so under /compat/<name>, in the standard shape).
export const accountRouter = createRouter().route('/', verificationRouter).route('/', passwordResetRouter)
