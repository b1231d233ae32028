// Creates .dev.vars with a random JWT_SECRET on a fresh clone; an existing file is left alone.
import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'

if (existsSync('.dev.vars')) {
  console.log('.dev.vars exists: left as it is')
} else {
  writeFileSync('.dev.vars', `JWT_SECRET=${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 })
  console.log('.dev.vars created with a random JWT_SECRET (ignored by git)')
}
