// Issue 19: how a provider's ID token is verified (src/auth/id-tokens.ts, src/auth/jwks.ts), against
// the local provider (test/fixtures/oidc-provider.mjs). Every refusal has its own test, and none writes
// anything.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Json } from '../support/request'
import { claimsOf } from '../support/users'
import { CLIENT_ID, type LocalProvider, localProvider, nothingWritten, usersWithEmail } from '../support/oidc'

// Each test talks to the local provider over HTTP and has it make RSA keys: more than vitest's
// default 5 s when the machine is busy.
vi.setConfig({ testTimeout: 30_000 })

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const INVALID = { status: 401, message: 'Invalid ID token', code: 'OIDC_TOKEN_INVALID' }
const now = () => Math.floor(Date.now() / 1000)

/**
 * Signs in with `token` and expects the one refusal, with nothing written. `keysFetched`: how often
 * the provider's keys were fetched by then (0: refused before anything is asked of the provider).
 */
async function expectRefused(p: LocalProvider, token: string, keysFetched: number, body: Json = INVALID) {
  const res = await p.signIn(token)
  expect(await res.json()).toEqual(body)
  expect(res.status).toBe(401)
  expect(res.headers.get('Set-Cookie')).toBeNull()
  expect(await nothingWritten(token)).toBe(true)
  expect((await p.stats()).jwks).toBe(keysFetched)
}

describe('POST /users/oidc/{provider}/login refuses a token that fails a check, and writes nothing', () => {
  it('a valid token (the control case) is accepted: 201', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint())).status).toBe(201)
  })

  it('refuses a token issued to another client (aud)', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { aud: 'someone-else.apps.example' } }), 0)
  })

  it('accepts a token whose aud lists the client id among others', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint({ claims: { aud: ['other.apps.example', CLIENT_ID] } }))).status).toBe(201)
  })

  it('refuses a token of another issuer (iss), even signed with the provider’s key', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { iss: 'https://accounts.google.com' } }), 0)
  })

  it('refuses an expired token (exp)', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { iat: now() - 7200, exp: now() - 60 } }), 0)
  })

  it('refuses a token without exp', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { exp: null } }), 0)
  })

  it('refuses a token issued in the future (iat beyond the 10 s skew)', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { iat: now() + 60 } }), 0)
  })

  it('accepts an iat a few seconds ahead (within the skew of our own tokens)', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint({ claims: { iat: now() + 5 } }))).status).toBe(201)
  })

  it('refuses a token without sub', async () => {
    const p = localProvider()
    const token = await p.mint({ claims: { sub: null } })
    const res = await p.signIn(token)
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await usersWithEmail(claimsOf(token).email)).toBe(0)
  })

  it('refuses a token signed by a key the provider does not publish, under a published kid (foreign signature)', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ key: 'foreign' }), 1)
  })

  it('refuses alg: none', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ key: 'none' }), 0)
  })

  it('refuses HS256 signed with the provider’s public key (key confusion)', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ key: 'hs256-public' }), 0)
  })

  it('refuses a kid the JWKS does not hold, after refetching it once', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint())).status).toBe(201) // the key set is cached now
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000) // over a minute later: an unknown kid may refetch
    await expectRefused(p, await p.mint({ key: 'unpublished' }), 2)
  })

  it('refuses email_verified: false with 401 "Email not verified by the provider"', async () => {
    const p = localProvider()
    await expectRefused(p, await p.mint({ claims: { email_verified: false } }), 1, {
      status: 401,
      message: 'Email not verified by the provider',
      code: 'OIDC_EMAIL_NOT_VERIFIED',
    })
  })

  it('refuses a token without email_verified like email_verified: false', async () => {
    const p = localProvider()
    const res = await p.signIn(await p.mint({ claims: { email_verified: null } }))
    expect([res.status, ((await res.json()) as Json).code]).toEqual([401, 'OIDC_EMAIL_NOT_VERIFIED'])
  })

  it('accepts email_verified as the string "true" (Apple sends it so)', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint({ claims: { email_verified: 'true' } }))).status).toBe(201)
  })

  it('refuses a verified token without a usable email', async () => {
    const p = localProvider()
    const token = await p.mint({ claims: { email: 'not-an-email' } })
    const res = await p.signIn(token)
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await nothingWritten(token)).toBe(true)
  })

  it('refuses a token over 8192 characters like any other refused token (401), unread', async () => {
    const p = localProvider()
    const valid = await p.mint({ claims: { padding: 'x'.repeat(9000) } })
    const res = await p.signIn(valid)
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await p.stats()).toEqual({ discovery: 0, jwks: 0 })
  })

  it('refuses a string that is not a JWT, without asking the provider anything', async () => {
    const p = localProvider()
    const res = await p.signIn('not-an-id-token')
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await p.stats()).toEqual({ discovery: 0, jwks: 0 })
  })

  it('accepts an ES256 token', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint({ key: 'ec' }))).status).toBe(201)
  })
})

describe('the provider’s keys (JWKS), cached per isolate', () => {
  it('are fetched once and reused while their Cache-Control allows', async () => {
    const p = localProvider()
    for (let i = 0; i < 3; i++) expect((await p.signIn(await p.mint())).status).toBe(201)
    expect(await p.stats()).toEqual({ discovery: 1, jwks: 1 })
  })

  it('are fetched again once their max-age has passed', async () => {
    const p = localProvider()
    await p.settings({ maxAge: 30 })
    expect((await p.signIn(await p.mint())).status).toBe(201)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 31_000)
    expect((await p.signIn(await p.mint())).status).toBe(201)
    expect(await p.stats()).toEqual({ discovery: 2, jwks: 2 })
  })

  it('are fetched for every token when the provider says no-store', async () => {
    const p = localProvider()
    await p.settings({ maxAge: null })
    for (let i = 0; i < 2; i++) expect((await p.signIn(await p.mint())).status).toBe(201)
    expect(await p.stats()).toMatchObject({ jwks: 2 })
  })

  it('an unknown kid refetches them at most once a minute', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint())).status).toBe(201)
    // Within the minute of the last fetch: refused without another fetch.
    await expectRefused(p, await p.mint({ key: 'unpublished' }), 1)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    for (let i = 0; i < 3; i++) await expectRefused(p, await p.mint({ key: 'unpublished' }), 2)
  })

  it('a key the provider rotated in is found by the refetch an unknown kid triggers', async () => {
    const p = localProvider()
    expect((await p.signIn(await p.mint())).status).toBe(201)
    const rotated = await p.rotate()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    const token = await p.mint({ key: rotated })
    const res = await p.signIn(token)
    expect(res.status).toBe(201)
    expect(((await res.json()) as Json).user.email).toBe(claimsOf(token).email)
    expect(await p.stats()).toMatchObject({ jwks: 2 })
  })
})

describe('a provider that cannot be reached', () => {
  const UNAVAILABLE = { status: 503, message: 'Identity provider unavailable', code: 'OIDC_PROVIDER_UNAVAILABLE' }

  it('answers 503, not 500, when its discovery document answers an error, and writes nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const p = localProvider()
    await p.settings({ down: true })
    const token = await p.mint()
    const res = await p.signIn(token)
    expect([res.status, await res.json()]).toEqual([503, UNAVAILABLE])
    expect(await nothingWritten(token)).toBe(true)
  })

  it('answers 503 when the connection to it fails', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const p = localProvider()
    const token = await p.mint()
    // What workerd's fetch throws when the provider cannot be reached (a real refused connection
    // gives the same error, and workerd prints its own stack traces for it into the report).
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('Network connection lost.'))
    const res = await p.signIn(token)
    expect([res.status, await res.json()]).toEqual([503, UNAVAILABLE])
    vi.mocked(fetch).mockRestore()
    expect(await nothingWritten(token)).toBe(true)
    expect(log.mock.calls.flat().join(' ')).toMatch(/OIDC provider unavailable \(http:\/\/127\.0\.0\.1:\d+\/t-[\w-]+\): discovery document: Network connection lost/)
  })
})
