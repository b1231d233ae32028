import { env } from 'cloudflare:workers'
import { inject } from 'vitest'
import type { MintOptions } from '../fixtures/oidc-provider.mjs'
import { callWith, type Json, jsonInit } from './request'
import { claimsOf } from './users'

/** The local provider's origin (test/support/oidc-provider.setup.ts started it). */
export const ORIGIN = inject('oidcProvider')

/** The client id the tests configure, and their tokens' audience. */
export const CLIENT_ID = 'oidc-tests.apps.example'

/** A provider of its own for one test: a fresh issuer (keys, key cache) that no other test touches. */
export function localProvider(name = 'local') {
  const tenant = `t-${crypto.randomUUID()}`
  const issuer = `${ORIGIN}/${tenant}`
  const post = async (path: string, body: unknown = {}) => (await fetch(`${issuer}/${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<Json>
  const bindings: Record<string, unknown> = { OIDC_PROVIDERS: JSON.stringify({ [name]: { issuer, clientIds: [CLIENT_ID] } }) }
  return {
    name,
    issuer,
    bindings,
    /** An ID token (see mint in test/fixtures/oidc-provider.mjs), issued to CLIENT_ID unless `claims.aud` says otherwise. */
    mint: async (options: MintOptions = {}) =>
      (await post('tokens', { ...options, claims: { aud: CLIENT_ID, ...options.claims } })).token as string,
    rotate: async () => (await post('rotate')).key as string,
    settings: (settings: { down?: boolean; maxAge?: number | null }) => post('settings', settings),
    stats: async () => (await (await fetch(`${issuer}/stats`)).json()) as { discovery: number; jwks: number },
    /** POSTs `{ idToken }` to `path` (this provider's route under /users by default), with this provider configured. */
    signIn: (idToken: unknown, { path = `/users/oidc/${name}/login`, overrides = {} as Record<string, unknown> } = {}) =>
      callWith({ ...bindings, ...overrides }, path, jsonInit('POST', { idToken })),
  }
}

export type LocalProvider = ReturnType<typeof localProvider>

export const usersWithEmail = (email: string) =>
  env.DB.prepare('SELECT COUNT(*) AS n FROM users WHERE email = ?').bind(email).first<number>('n')

export const identitiesOf = (subject: string) =>
  env.DB.prepare('SELECT provider, subject, user_id FROM identities WHERE subject = ?').bind(subject).all<Json>().then((r) => r.results)

/** True when a refused token wrote nothing: no user with its email, no identity with its subject. */
export async function nothingWritten(token: string) {
  const { email, sub } = claimsOf(token)
  return (await usersWithEmail(String(email).toLowerCase())) === 0 && (await identitiesOf(sub)).length === 0
}
