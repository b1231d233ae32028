import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { setSessionCookie } from '../auth/cookie'
import { verifyIdToken } from '../auth/id-tokens'
import { issueToken } from '../auth/tokens'
import { getConfig } from '../config/app.config'
import { getOidcConfig } from '../config/oidc.config'
import { ApiError } from '../core/errors'
import { AuthResult, ErrorSchema } from '../core/schemas'
import { toPublicUser } from '../db/users.repository'
import { errorExamples } from '../docs/examples'
import { badRequest, bodyErrors, errorResponses, json, jsonBody, lifecycleLimitErrors, setCookie } from '../docs/responses'
import { userEvents } from '../events/user-events'
import { createRouter } from '../http/router'
import { requireJson } from '../http/validate'
import { limitByIp } from '../security/rate-limit'
import type { AppEnv } from '../types'
import * as examples from './oidc.examples'
import { providerParams, SignInNotFound, signInSchema } from './oidc.schemas'
import { profileOf, signInEvents, signInWithProvider } from './oidc.service'

// Sign-in with an OpenID Connect provider: the front end's provider button (Google Identity
// Services, ...) hands it an ID token; this verifies it and answers like login, or like register for
// a new account.

const tags = ['users']

const description = (which: string) =>
  `${which} The token is verified against the provider’s published keys (RS256 or ES256), its issuer, audience (one of the configured client ids) and lifetime. A known identity, or an account with the same email (linked now; an account whose email was not verified is taken over: its password cleared, its sessions ended), signs in: 200 like login. An unknown email creates the account (verified email, the provider’s name and picture, no password): 201 like register; with OIDC_SIGNUP=false, 404 with what a sign-up form can be prefilled with. The \`mongoose\` dialect answers both 200 \`{ token, user, picture }\`.`

const responses = {
  200: json(AuthResult, 'Signed in (a known identity, or an account with the same email, linked now).', examples.signIn.ok, setCookie),
  201: json(AuthResult, 'Signed up: the account is created and signed in.', examples.signIn.created, setCookie),
  ...badRequest(examples.signIn.invalid),
  ...errorResponses({
    401: json(ErrorSchema, 'The ID token is refused (one answer whatever check failed), or its email is not verified by the provider.', examples.signIn.refused),
    404: json(SignInNotFound, 'OIDC_SIGNUP is false and no account has this email; or this provider is not configured (like an unknown path).', examples.signIn.notFound),
  }),
  ...bodyErrors,
  ...errorResponses({
    503: json(ErrorSchema, 'The provider (its discovery document or keys), D1 or KV could not be reached; nothing was written.', {
      ...examples.signIn.unavailable,
      ...errorExamples.unavailable,
    }),
  }),
  ...lifecycleLimitErrors('per client IP, like login'),
}

/**
 * First on both routes: a provider that is not configured (Google without GOOGLE_CLIENT_ID, or an
 * unknown name) is the 404 of an unknown path, whatever the body, before the rate limit counts it.
 */
const providerConfigured = (name?: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!getOidcConfig(c.env).providers.has(name ?? c.req.param('provider') ?? '')) throw new ApiError('NOT_FOUND')
    await next()
  })

const googleLogin = createRoute({
  method: 'post',
  path: '/google-login',
  operationId: 'googleLogin',
  tags,
  summary: 'Sign in with Google',
  description: description('The ID token Google Identity Services gave the front end (`credentialResponse.credential`). The same as `POST /oidc/google/login`; 404 while Google is not configured (GOOGLE_CLIENT_ID).'),
  middleware: [providerConfigured('google'), limitByIp, requireJson] as const,
  request: { body: jsonBody(signInSchema, examples.signIn.request) },
  responses,
})

const providerLogin = createRoute({
  method: 'post',
  path: '/oidc/{provider}/login',
  operationId: 'oidcLogin',
  tags,
  summary: 'Sign in with an OpenID Connect provider',
  description: description('The ID token a configured provider (`google`, or one of OIDC_PROVIDERS) issued to the front end. An unknown provider: 404.'),
  middleware: [providerConfigured(), limitByIp, requireJson] as const,
  request: { params: providerParams, body: jsonBody(signInSchema, examples.signIn.request) },
  responses,
})

/**
 * Verifies the ID token of the provider named `name`, finds or creates its user and starts the
 * session (the token, and the cookie). A provider that is not configured is a 404, as an unknown
 * path is. Nothing from the token is logged: the request log names the user id only.
 */
async function signIn(c: Context<AppEnv>, name: string, idToken: string) {
  const oidc = getOidcConfig(c.env)
  const provider = oidc.providers.get(name)
  if (!provider) throw new ApiError('NOT_FOUND') // providerConfigured answered this already; narrows the type
  const config = getConfig(c.env)
  const events = userEvents(c.env)
  const profile = profileOf(await verifyIdToken(idToken, provider))
  const outcome = await signInWithProvider(c.var.db, provider.name, profile, { signup: oidc.signup, idFormat: config.USER_ID_FORMAT })
  const { user, created } = outcome
  c.set('user', user) // for the request log
  await events.emit(signInEvents(outcome), user)
  const { token } = await issueToken(user, config)
  setSessionCookie(c, token, config.JWT_TTL_SECONDS)
  const message = created ? 'User registered successfully' : 'Login successful'
  return { created, body: { message, user: toPublicUser(user), token } }
}

export const oidcRouter = createRouter()
  .openapi(googleLogin, async (c) => {
    const { created, body } = await signIn(c, 'google', c.req.valid('json').idToken)
    return created ? c.json(body, 201) : c.json(body, 200)
  })
  .openapi(providerLogin, async (c) => {
    const { created, body } = await signIn(c, c.req.valid('param').provider, c.req.valid('json').idToken)
    return created ? c.json(body, 201) : c.json(body, 200)
  })
