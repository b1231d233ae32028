import { createRoute, z } from '@hono/zod-openapi'
import { publicJwks } from '../auth/signing-keys'
import { getConfig } from '../config/app.config'
import { ErrorSchema } from '../core/schemas'
import { errorExamples } from '../docs/examples'
import { errorResponses, json } from '../docs/responses'
import { createRouter } from '../http/router'
import * as examples from './keys.examples'

// The public keys other services verify our ES256 tokens with (docs/migrating.md "The rest of your app").

/**
 * How long a verifier or a cache may keep the set: 5 minutes. A rotation waits at least this plus
 * JWT_TTL_SECONDS before the previous key leaves the set (README, rotation steps), and a verifier that
 * meets an unknown `kid` fetches the set again (jose does, at most every 30 s).
 */
export const JWKS_MAX_AGE_SECONDS = 300

const PublicKey = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
    kid: z.string().openapi({ description: 'The `kid` in the header of the tokens this key signed.' }),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .openapi('PublicKey', { description: 'An EC P-256 public key: never a private field.' })

const Jwks = z
  .object({ keys: z.array(PublicKey) })
  .openapi('Jwks', { description: 'A JSON Web Key Set (RFC 7517): empty while tokens are HS256 (no JWT_SIGNING_KEY).' })

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'jwks',
  tags: ['keys'],
  summary: 'Public keys of the ES256 tokens',
  description:
    'The public part of JWT_SIGNING_KEY and, during a rotation, of JWT_SIGNING_KEY_PREVIOUS: services verify our ES256 tokens with it (the key whose `kid` the token names) without holding a secret. `{ "keys": [] }` while tokens are HS256. Cacheable for 5 minutes.',
  responses: {
    200: json(Jwks, 'The key set.', examples.jwks.ok, {
      'Cache-Control': { description: `\`public, max-age=${JWKS_MAX_AGE_SECONDS}\``, schema: { type: 'string' } },
    }),
    ...errorResponses({ 500: json(ErrorSchema, 'A key setting is invalid (the log says which).', errorExamples.internal) }),
  },
})

export const keysRouter = createRouter().openapi(jwksRoute, (c) => {
  const keys = publicJwks(getConfig(c.env)) // first: an invalid setting's 500 is never cacheable
  c.header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  return c.json({ keys }, 200)
})
