import { createRouter } from '../router'
import { passwordReset } from './password-reset.routes'
import { profile } from './profile.routes'
import { verification } from './verification.routes'

// The account lifecycle: verified email, password reset, profile update, account deletion. Mounted
// by the users router, so every route is served under /users and /api/users (and /compat/<name>).
export const account = createRouter().route('/', verification).route('/', passwordReset).route('/', profile)
