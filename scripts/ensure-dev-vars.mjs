// Creates .dev.vars on a fresh clone: a random JWT_SECRET, the usual local front-end origins and a
// random WEBHOOK_SECRET for the user events.
// An existing file is left alone. wrangler dev reads it when it starts (restart after editing);
// the tests never read it (see vitest.config.ts).
import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'

const DEV_VARS = `# Local settings for \`npm run dev\`: wrangler dev reads this file when it starts, so restart
# \`npm run dev\` after editing it. Ignored by git; never read by the tests. Values here override
# wrangler.toml [vars]. See docs/deploy.md, "Local configuration".

JWT_SECRET=${randomBytes(48).toString('base64url')}

# Dev only: lets a front end on the usual local dev servers (Vite on 5173, Next.js / CRA on 3000)
# call this API with the session cookie. Deployed origins go in wrangler.toml [env.<name>.vars].
CORS_ORIGINS=http://localhost:5173,http://127.0.0.1:5173,http://localhost:3000

# User events (docs/migrating.md, "Keeping your other services in sync"): the secret they are signed with, for
# when WEBHOOK_URL names a receiver (uncomment it, e.g. examples/services/webhook-receiver.mjs's).
# Give the receiver the same secret.
WEBHOOK_SECRET=whsec_${randomBytes(32).toString('base64')}
# WEBHOOK_URL=http://127.0.0.1:4000/webhooks/users
`

if (existsSync('.dev.vars')) {
  console.log('.dev.vars exists: left as it is')
} else {
  writeFileSync('.dev.vars', DEV_VARS, { mode: 0o600 })
  console.log('.dev.vars created with a random JWT_SECRET and WEBHOOK_SECRET and local CORS_ORIGINS (ignored by git)')
}
