import { createRouter } from '../http/router'
import { passwordReset } from './password-reset.routes'
import { profile } from './profile.routes'
import { verification } from './verification.routes'

// The account lifecycle: verified email, password reset, profile update, account deletion. Mounted
// by src/app.ts under /users and /api/users (and so under /compat/<name>, in the standard shape).
export const account = createRouter().route('/', verification).route('/', passwordReset).route('/', profile)
