import * as z from 'zod'
import { USER_ID_FORMATS } from '../core/user-ids'
import type { UserShapeName } from '../core/user-shapes'
import { MAX_BCRYPT_COST } from '../core/rules.mjs'
import { settings } from './settings'
import { ecKeySetting } from './signing-key'

/**
 * The client dialects (src/compat/): DIALECT picks one for the unprefixed routes, `/compat/<name>`
 * per request, WEBHOOK_DIALECT the user shape of the events. Each has its user shape in core.
 */
export const DIALECT_NAMES = ['standard', 'envelope', 'id', 'mongoose', 'msg'] as const satisfies readonly UserShapeName[]
export type DialectName = (typeof DIALECT_NAMES)[number]

const utf8 = new TextEncoder()

/**
 * The bindings the Worker cannot run safely without. Wrangler does not inherit bindings into an
 * `[env.*]` section, so an environment can lack one; that is a configuration error like a missing
 * JWT_SECRET (500 for every request that needs the configuration, the log naming the binding),
 * never a silently disabled defence such as a rate limit. A new binding is appended here (and to
 * the three configurations in wrangler.toml).
 */
export const REQUIRED_BINDINGS = ['DB', 'BLACKLIST', 'IP_LIMITER', 'EMAIL_LIMITER', 'LIFECYCLE_LIMITER', 'EMAIL'] as const satisfies readonly (keyof Env)[]

type RequiredBinding = (typeof REQUIRED_BINDINGS)[number]

const bindingSchemas = Object.fromEntries(
  REQUIRED_BINDINGS.map((name) => [
    name,
    z.custom((v) => typeof v === 'object' && v !== null, {
      error: `the ${name} binding is missing (declare it in wrangler.toml, in the top level and in every [env.*] section)`,
    }),
  ]),
) as unknown as { [K in RequiredBinding]: z.ZodType<Env[K]> }

const configSchema = z
  .object({
    ...bindingSchemas,
    JWT_SECRET: z
      .string({ error: 'JWT_SECRET is not set (run `npm run dev` locally, or `wrangler secret put JWT_SECRET`)' })
      .refine((s) => utf8.encode(s).length >= 32, 'JWT_SECRET must be at least 32 bytes long'),
    /** The secret before the last rotation: verifies the tokens it signed, never signs. Empty = unset. */
    JWT_SECRET_PREVIOUS: z
      .string()
      .optional()
      .transform((s) => s || undefined)
      .refine((s) => s === undefined || utf8.encode(s).length >= 32, 'JWT_SECRET_PREVIOUS must be at least 32 bytes long'),
    /** A private EC P-256 JWK with a kid (JSON): when set, new tokens are ES256 and GET /.well-known/jwks.json serves its public part. */
    JWT_SIGNING_KEY: ecKeySetting('JWT_SIGNING_KEY', true),
    /** The signing key before the last rotation: verifies the tokens it signed and stays in the JWKS, never signs. */
    JWT_SIGNING_KEY_PREVIOUS: ecKeySetting('JWT_SIGNING_KEY_PREVIOUS', false),
    /**
     * The old backend's JWT secret: its tokens (HS256 `{ _id, iat, exp }`) are accepted until they
     * expire, for imported users whose token version is still 0. Any length (it only verifies, and is
     * whatever the old backend used). Empty = unset.
     */
    LEGACY_JWT_SECRET: z
      .string()
      .optional()
      .transform((s) => s || undefined),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
    JWT_ISSUER: z.string().min(1).default('users-auth-api'),
    JWT_AUDIENCE: z.string().min(1).default('users-auth-api'),
    BCRYPT_COST: z.coerce.number().int().default(10),
    /** Set only by the test configuration: allows a bcrypt cost below 10 so tests run fast. */
    ENVIRONMENT: z.string().optional(),
    PASSWORD_BLOCKLIST: z.enum(['off', 'common']).default('off'),
    /** How the unprefixed routes answer; `/compat/<name>` picks a dialect per request. */
    DIALECT: z.enum(DIALECT_NAMES, { error: `DIALECT must be one of ${DIALECT_NAMES.join(', ')}` }).default('standard'),
    /** The id format of new users: `uuid`, or `objectid` for services that cast ids with mongoose. Imported users keep theirs. */
    USER_ID_FORMAT: z.enum(USER_ID_FORMATS, { error: `USER_ID_FORMAT must be one of ${USER_ID_FORMATS.join(', ')}` }).default('uuid'),
  })
  // The same key in both (between the two steps of a rotation) is harmless; one kid for two keys is not.
  .refine((c) => c.JWT_SIGNING_KEY?.kid !== c.JWT_SIGNING_KEY_PREVIOUS?.kid || c.JWT_SIGNING_KEY?.publicJwk.x === c.JWT_SIGNING_KEY_PREVIOUS?.publicJwk.x, {
    message: 'JWT_SIGNING_KEY_PREVIOUS is another key with the kid of JWT_SIGNING_KEY: give each key its own kid',
    path: ['JWT_SIGNING_KEY_PREVIOUS'],
  })
  .refine((c) => c.BCRYPT_COST <= MAX_BCRYPT_COST && c.BCRYPT_COST >= (c.ENVIRONMENT === 'test' ? 4 : 10), {
    message: `BCRYPT_COST must be between 10 and ${MAX_BCRYPT_COST}`,
    path: ['BCRYPT_COST'],
  })

export type Config = z.output<typeof configSchema>

const config = settings(configSchema)

/** What is wrong with the configuration, or undefined when it is valid (for /health: never throws). */
export const configProblem = config.problem

/**
 * The validated configuration, its required bindings included. A missing or weak secret, an
 * out-of-range bcrypt cost or a missing binding fails closed: every request that needs the config
 * gets a 500, and the log says exactly what is wrong.
 */
export const getConfig = config.get
