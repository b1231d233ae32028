// `npm run --silent signing-key [-- --kid <id>]`: prints a new EC P-256 private key as one line of
// JWK JSON with a `kid`: the value of JWT_SIGNING_KEY. Pipe it into the secret store, never into a
// file of the repository:
//   npm run --silent signing-key | npx wrangler secret put JWT_SIGNING_KEY --env production
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { commandLine } from './lib/command-line.mjs'

const { values, error } = commandLine({ kid: { type: 'string' } })
if (error) {
  console.error(`signing-key: ${error} (usage: npm run --silent signing-key -- [--kid <id>])`)
  process.exit(2)
}
// The default kid says when the key was made (a rotation's order at a glance) and stays unique.
const kid = values.kid || `${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const { kty, crv, x, y, d } = privateKey.export({ format: 'jwk' })
process.stdout.write(`${JSON.stringify({ kty, crv, x, y, d, kid, alg: 'ES256', use: 'sig' })}\n`)
