// Issue 19: sign-in with Google and any OpenID Connect provider, against the local provider
// (test/fixtures/oidc-provider.mjs): accounts and linking, the routes under every prefix and dialect,
// the configuration, accounts without a password, and what is logged.
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { passwords } from '../../src/auth/passwords'
import { DIALECT_NAMES } from '../../src/config/app.config'
import { mailbox } from '../support/mailbox'
import { bearer, call, callWith, type Json, jsonInit, send } from '../support/request'
import { claimsOf, PASSWORD, registered, uniqueEmail, userRow } from '../support/users'
import { CLIENT_ID, identitiesOf, localProvider, nothingWritten, usersWithEmail } from '../support/oidc'

// Each test talks to the local provider over HTTP and has it make RSA keys: more than vitest's
// default 5 s when the machine is busy.
vi.setConfig({ testTimeout: 30_000 })

afterEach(() => vi.restoreAllMocks())

const now = () => Math.floor(Date.now() / 1000)

/** A provider and a first sign-in with it: the account it created. */
async function signedUp(claims: Json = {}) {
  const p = localProvider()
  const token = await p.mint({ claims })
  const res = await p.signIn(token)
  const body = (await res.json()) as Json
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(body)}`)
  return { p, token, body, claims: claimsOf(token) }
}

describe('POST /users/oidc/{provider}/login', () => {
  it('creates the account on a first sign-in: 201 like register, verified, no password, with the cookie', async () => {
    const p = localProvider()
    const email = uniqueEmail('oidc')
    const token = await p.mint({ claims: { email } })
    const res = await p.signIn(token)
    expect(res.status).toBe(201)
    const body = (await res.json()) as Json
    expect(body).toEqual({
      message: 'User registered successfully',
      user: {
        _id: expect.any(String),
        fullName: { firstName: 'Ada', lastName: 'Lovelace' },
        email,
        emailVerified: true,
        profilePic: 'https://pictures.example/ada.png',
        socketId: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      token: expect.any(String),
    })
    expect(res.headers.get('Set-Cookie')).toMatch(new RegExp(`^__Host-token=${body.token};`))
    expect((await userRow(body.user._id))?.password_hash).toBeNull()
    expect(await identitiesOf(claimsOf(token).sub)).toEqual([{ provider: 'local', subject: claimsOf(token).sub, user_id: body.user._id }])
  })

  it('signs the same subject in on the next sign-in: 200, the same _id, and its token works on /users/profile', async () => {
    const { p, body: first, claims } = await signedUp()
    const res = await p.signIn(await p.mint({ claims: { sub: claims.sub, email: claims.email } }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as Json
    expect(body.message).toBe('Login successful')
    expect(body.user._id).toBe(first.user._id)
    const profile = await call('/users/profile', { headers: bearer(body.token) })
    expect([profile.status, ((await profile.json()) as Json).user._id]).toEqual([200, first.user._id])
    expect(await usersWithEmail(claims.email)).toBe(1)
  })

  it('signs a known subject into its user even after its email changed at the provider', async () => {
    const { p, body: first, claims } = await signedUp()
    const res = await p.signIn(await p.mint({ claims: { sub: claims.sub, email: uniqueEmail('renamed') } }))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user).toMatchObject({ _id: first.user._id, email: claims.email })
  })

  it('takes over an unverified password account with that email: its password and tokens are refused from then on', async () => {
    const owner = await registered()
    const p = localProvider()
    const res = await p.signIn(await p.mint({ claims: { email: owner.email } }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as Json
    expect(body.user).toMatchObject({ _id: owner.json.user._id, emailVerified: true, profilePic: 'https://pictures.example/ada.png' })
    const login = await send('POST', '/users/login', { email: owner.email, password: PASSWORD })
    expect([login.status, ((await login.json()) as Json).code]).toEqual([401, 'BAD_CREDENTIALS'])
    expect((await call('/users/profile', { headers: bearer(owner.token) })).status).toBe(401)
    expect((await call('/users/profile', { headers: bearer(body.token) })).status).toBe(200)
    expect((await userRow(owner.json.user._id))?.password_hash).toBeNull()
  })

  it('links a verified password account with that email and leaves its password and sessions alone', async () => {
    const owner = await registered()
    await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(owner.json.user._id).run()
    const p = localProvider()
    const token = await p.mint({ claims: { email: owner.email } })
    const res = await p.signIn(token)
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).user._id).toBe(owner.json.user._id)
    expect((await send('POST', '/users/login', { email: owner.email, password: PASSWORD })).status).toBe(200)
    expect((await call('/users/profile', { headers: bearer(owner.token) })).status).toBe(200)
    expect(await identitiesOf(claimsOf(token).sub)).toHaveLength(1)
  })

  it('with OIDC_SIGNUP=false answers 404 with the sign-up hint, and creates nothing', async () => {
    const p = localProvider()
    const email = uniqueEmail('hint')
    const token = await p.mint({ claims: { email } })
    const res = await p.signIn(token, { overrides: { OIDC_SIGNUP: 'false' } })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      status: 404,
      message: 'User not found. Please sign up first.',
      code: 'OIDC_USER_NOT_FOUND',
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      picture: 'https://pictures.example/ada.png',
    })
    expect(await nothingWritten(token)).toBe(true)
  })

  it('with OIDC_SIGNUP=false still signs in an account with that email', async () => {
    const owner = await registered()
    const p = localProvider()
    const res = await p.signIn(await p.mint({ claims: { email: owner.email } }), { overrides: { OIDC_SIGNUP: 'false' } })
    expect(res.status).toBe(200)
  })

  it('keeps a short name from the provider ("Li")', async () => {
    const { body } = await signedUp({ given_name: 'Li', family_name: 'Na' })
    expect(body.user.fullName).toEqual({ firstName: 'Li', lastName: 'Na' })
  })

  it('splits `name` when given_name and family_name are missing', async () => {
    const { body } = await signedUp({ given_name: null, family_name: null, name: 'Grace Brewster Hopper' })
    expect(body.user.fullName).toEqual({ firstName: 'Grace', lastName: 'Brewster Hopper' })
  })

  it('falls back to the email’s local part for a missing or unusable name', async () => {
    const email = uniqueEmail('ada.king')
    const { body } = await signedUp({ email, given_name: 'Ada\u202eKing', family_name: 'x'.repeat(51), name: null })
    expect(body.user.fullName).toEqual({ firstName: email.split('@')[0].slice(0, 50), lastName: null })
  })

  it('keeps only an https picture', async () => {
    const { body } = await signedUp({ picture: 'http://pictures.example/ada.png' })
    expect(body.user.profilePic).toBeNull()
  })

  it('answers 400 on the field without an idToken, and asks the provider nothing', async () => {
    const p = localProvider()
    const res = await callWith(p.bindings, '/users/oidc/local/login', jsonInit('POST', {}))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status: 400,
      message: 'Validation failed',
      code: 'VALIDATION_FAILED',
      errors: [{ msg: 'No ID token provided', param: 'idToken', path: 'idToken', location: 'body' }],
    })
    expect(await p.stats()).toEqual({ discovery: 0, jwks: 0 })
  })

  it('answers the JSON 404 of an unknown path for a provider that is not configured', async () => {
    const p = localProvider()
    const res = await p.signIn(await p.mint(), { path: '/users/oidc/nope/login' })
    expect([res.status, await res.json()]).toEqual([404, { status: 404, message: 'Not found', code: 'NOT_FOUND' }])
  })

  it.each(['/api/users', '/compat/standard/users', '/compat/standard/api/users'])('is served under %s alike', async (prefix) => {
    const p = localProvider()
    const res = await p.signIn(await p.mint(), { path: `${prefix}/oidc/local/login` })
    expect(res.status).toBe(201)
  })

  it('is rate limited per IP like login, before the provider is asked', async () => {
    const p = localProvider()
    const IP_LIMITER = { limit: async () => ({ success: false }) }
    const res = await callWith({ ...p.bindings, IP_LIMITER }, '/users/oidc/local/login', {
      ...jsonInit('POST', { idToken: await p.mint() }),
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '203.0.113.7' },
    })
    expect([res.status, res.headers.get('Retry-After')]).toEqual([429, '60'])
    expect(await p.stats()).toEqual({ discovery: 0, jwks: 0 })
  })
})

describe('POST /users/google-login', () => {
  /** Google, with its issuer replaced by a local provider's (OIDC_PROVIDERS' "google" entry). */
  function google() {
    const p = localProvider('google')
    const bindings = { GOOGLE_CLIENT_ID: `${CLIENT_ID}, another.apps.example`, OIDC_PROVIDERS: JSON.stringify({ google: { issuer: p.issuer } }) }
    return { ...p, bindings, signIn: (token: string, path = '/users/google-login') => callWith(bindings, path, jsonInit('POST', { idToken: token })) }
  }

  it('creates the account (201), then signs it in (200, same _id); /oidc/google/login is the same route', async () => {
    const g = google()
    const token = await g.mint()
    const first = await g.signIn(token)
    expect(first.status).toBe(201)
    const second = await g.signIn(token, '/api/users/oidc/google/login')
    expect(second.status).toBe(200)
    expect(((await second.json()) as Json).user._id).toBe(((await first.json()) as Json).user._id)
    expect((await identitiesOf(claimsOf(token).sub))[0].provider).toBe('google')
  })

  it('accepts any of the comma-separated client ids', async () => {
    const g = google()
    expect((await g.signIn(await g.mint({ claims: { aud: 'another.apps.example' } }))).status).toBe(201)
  })

  it('answers the JSON 404 of an unknown path without GOOGLE_CLIENT_ID (and so does /oidc/google/login)', async () => {
    const unknown = await (await call('/users/nope', jsonInit('POST', {}))).json()
    for (const path of ['/users/google-login', '/api/users/oidc/google/login']) {
      const res = await callWith({ GOOGLE_CLIENT_ID: '' }, path, jsonInit('POST', { idToken: 'x.y.z' }))
      expect([res.status, await res.json()], path).toEqual([404, unknown])
    }
  })

  it('answers that 404 whatever the body, before the body rules and the rate limit (Google off, or an unknown provider)', async () => {
    const refusing = { limit: async () => ({ success: false }) }
    const bodies: [string, RequestInit][] = [
      ['no idToken', jsonInit('POST', {})],
      ['an idToken over the size limit', jsonInit('POST', { idToken: 'x'.repeat(9000) })],
      ['a text/plain body', { method: 'POST', body: 'idToken=x', headers: { 'Content-Type': 'text/plain' } }],
    ]
    for (const [prefix, route] of [['/users', '/google-login'], ['/users', '/oidc/google/login'], ['/compat/mongoose/users', '/oidc/nope/login']]) {
      const path = prefix + route
      const unknown = await (await call(`${prefix}/nope`, jsonInit('POST', {}))).json()
      for (const [label, init] of bodies) {
        const res = await callWith({ GOOGLE_CLIENT_ID: '', IP_LIMITER: refusing }, path, init)
        expect([res.status, await res.json()], `${path}: ${label}`).toEqual([404, unknown])
      }
    }
  })

  it('is on with an OIDC_PROVIDERS "google" entry that lists its client ids, without GOOGLE_CLIENT_ID', async () => {
    const g = google()
    const OIDC_PROVIDERS = JSON.stringify({ google: { issuer: g.issuer, clientIds: [CLIENT_ID] } })
    const res = await callWith({ GOOGLE_CLIENT_ID: '', OIDC_PROVIDERS }, '/users/google-login', jsonInit('POST', { idToken: await g.mint() }))
    expect(res.status).toBe(201)
  })

  it('without an issuer override, refuses a token that does not claim Google’s issuer, without a fetch', async () => {
    const g = google()
    const res = await callWith({ GOOGLE_CLIENT_ID: CLIENT_ID }, '/users/google-login', jsonInit('POST', { idToken: await g.mint() }))
    expect([res.status, ((await res.json()) as Json).code]).toEqual([401, 'OIDC_TOKEN_INVALID'])
    expect(await g.stats()).toEqual({ discovery: 0, jwks: 0 })
  })
})

describe('the sign-in routes in each dialect', () => {
  /** Signs up with a fresh provider under `base`, then signs in again: both answers. */
  async function twice(base: string, overrides: Json = {}) {
    const p = localProvider()
    const token = await p.mint()
    const path = `${base}/users/oidc/local/login`
    const first = await p.signIn(token, { path, overrides })
    const second = await p.signIn(token, { path, overrides })
    return { claims: claimsOf(token), first: [first.status, await first.json()] as const, second: [second.status, await second.json()] as const }
  }

  it('mongoose answers 200 { token, user, picture } to a sign-up and to a sign-in, under /compat/mongoose and with DIALECT', async () => {
    for (const [base, overrides] of [['/compat/mongoose', {}], ['', { DIALECT: 'mongoose' }]] as const) {
      const { claims, first, second } = await twice(base, overrides)
      for (const [status, body] of [first, second]) {
        expect(status).toBe(200)
        expect(body).toEqual({
          token: expect.any(String),
          user: { _id: expect.any(String), fullname: { firstname: 'Ada', lastname: 'Lovelace' }, email: claims.email, socketId: null },
          picture: 'https://pictures.example/ada.png',
        })
      }
      expect((second[1] as Json).user._id).toBe((first[1] as Json).user._id)
    }
  })

  it('each dialect answers a sign-up like its register and a sign-in like its login', async () => {
    for (const name of DIALECT_NAMES.filter((d) => d !== 'mongoose')) {
      const { claims, first, second } = await twice(`/compat/${name}`)
      const email = claims.email
      const expected: Record<string, [Json, Json]> = {
        standard: [
          { message: 'User registered successfully', user: expect.objectContaining({ email }), token: expect.any(String) },
          { message: 'Login successful', user: expect.objectContaining({ email }), token: expect.any(String) },
        ],
        envelope: [
          { status: 201, data: expect.objectContaining({ fullName: 'Ada Lovelace', email, profilePic: 'https://pictures.example/ada.png' }), message: 'User created successfully' },
          { status: 200, data: { _id: expect.any(String), fullName: 'Ada Lovelace', email }, message: 'User logged in successfully' },
        ],
        id: [
          { message: 'User registered successfully', user: { id: expect.any(String), fullName: { firstName: 'Ada', lastName: 'Lovelace' }, email }, token: expect.any(String) },
          { message: 'Login successful', user: { id: expect.any(String), fullName: { firstName: 'Ada', lastName: 'Lovelace' }, email }, token: expect.any(String) },
        ],
        msg: [
          { user: expect.objectContaining({ email }), token: expect.any(String) },
          { msg: 'User login successful', user: expect.objectContaining({ email }), token: expect.any(String) },
        ],
      }
      expect([first, second], name).toEqual([[201, expected[name][0]], [200, expected[name][1]]])
    }
  })

  it('every dialect keeps the sign-up hint in its 404', async () => {
    const hint = { email: expect.any(String), firstName: 'Ada', lastName: 'Lovelace', picture: 'https://pictures.example/ada.png' }
    const message = 'User not found. Please sign up first.'
    const expected: Record<string, Json> = {
      standard: { status: 404, message, code: 'OIDC_USER_NOT_FOUND', ...hint },
      envelope: { status: 404, message, ...hint },
      id: { message, ...hint },
      mongoose: { message, ...hint },
      msg: { msg: message, ...hint },
    }
    for (const name of DIALECT_NAMES) {
      const p = localProvider()
      const res = await p.signIn(await p.mint(), { path: `/compat/${name}/users/oidc/local/login`, overrides: { OIDC_SIGNUP: 'false' } })
      expect([res.status, await res.json()], name).toEqual([404, expected[name]])
    }
  })

  it('each dialect refuses a bad token in its error shape', async () => {
    const p = localProvider()
    const res = await p.signIn('not-an-id-token', { path: '/compat/mongoose/users/google-login', overrides: { GOOGLE_CLIENT_ID: CLIENT_ID } })
    expect([res.status, await res.json()]).toEqual([401, { message: 'Invalid ID token' }])
  })
})

describe('configuration errors', () => {
  const cases: [string, Json, RegExp][] = [
    ['OIDC_PROVIDERS that is not JSON', { OIDC_PROVIDERS: '{corp: 1}' }, /OIDC_PROVIDERS: must be JSON/],
    ['an http:// issuer that is not local', { OIDC_PROVIDERS: JSON.stringify({ corp: { issuer: 'http://sso.example.com', clientIds: ['a'] } }) }, /OIDC_PROVIDERS\.corp\.issuer: issuer must be an https:\/\/ URL/],
    ['an entry without client ids', { OIDC_PROVIDERS: JSON.stringify({ corp: { issuer: 'https://sso.example.com' } }) }, /OIDC_PROVIDERS\.corp\.clientIds: clientIds is required/],
    ['an entry with an unknown key', { OIDC_PROVIDERS: JSON.stringify({ corp: { issuer: 'https://sso.example.com', clientIds: ['a'], audience: 'a' } }) }, /OIDC_PROVIDERS\.corp: unknown key audience/],
    ['a provider name that is not a path segment', { OIDC_PROVIDERS: JSON.stringify({ 'My SSO': { issuer: 'https://sso.example.com', clientIds: ['a'] } }) }, /a provider name is 1-32 lowercase letters/],
    ['OIDC_SIGNUP that is not a boolean', { OIDC_SIGNUP: 'yes' }, /OIDC_SIGNUP must be "true" or "false"/],
  ]

  it.each(cases)('%s: the sign-in routes answer 500, the log naming the entry, and /health 503', async (_, overrides, logged) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const path of ['/users/google-login', '/users/oidc/corp/login']) {
      const res = await callWith(overrides, path, jsonInit('POST', { idToken: 'x.y.z' }))
      expect([res.status, await res.json()], path).toEqual([500, { status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' }])
    }
    expect(log.mock.calls.flat().join('\n')).toMatch(logged)
    const health = await callWith(overrides, '/health')
    expect([health.status, ((await health.json()) as Json).message]).toEqual([503, 'Unavailable: configuration'])
  })

  it('an http:// issuer on localhost or 127.0.0.1 is accepted (tests, local development)', async () => {
    const OIDC_PROVIDERS = JSON.stringify({ a: { issuer: 'http://localhost:9999/x', clientIds: ['a'] }, b: { issuer: 'http://127.0.0.1:9999', clientIds: ['b'] } })
    expect((await callWith({ OIDC_PROVIDERS }, '/health')).status).toBe(200)
  })

  it('GET /health answers 503 naming the identities table when D1 answers without it', async () => {
    await env.DB.exec('ALTER TABLE identities RENAME TO identities_away')
    try {
      vi.spyOn(console, 'error').mockImplementation(() => {})
      const res = await call('/health')
      expect([res.status, ((await res.json()) as Json).message]).toEqual([503, 'Unavailable: D1 (identities table missing)'])
    } finally {
      await env.DB.exec('ALTER TABLE identities_away RENAME TO identities')
    }
  })
})

describe('an account without a password', () => {
  it('POST /users/login answers exactly like a wrong password, after the same bcrypt work (the dummy hash)', async () => {
    const { claims } = await signedUp()
    const wrong = await send('POST', '/users/login', { email: (await registered()).email, password: 'not the password' })
    const verify = vi.spyOn(passwords, 'verify')
    const res = await send('POST', '/users/login', { email: claims.email, password: PASSWORD })
    expect([res.status, await res.json()]).toEqual([wrong.status, await wrong.json()])
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify).toHaveBeenCalledWith(PASSWORD, null, 4)
  })

  it('PATCH /users/changePassword refuses like a wrong old password', async () => {
    const { claims } = await signedUp()
    const res = await send('PATCH', '/users/changePassword', { email: claims.email, oldPassword: PASSWORD, newPassword: 'a new password 1' })
    expect([res.status, await res.json()]).toEqual([401, { status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' }])
  })

  it('POST /users/forgot-password mails a link that sets a password: login works with it, and the provider still signs in', async () => {
    const { p, claims } = await signedUp()
    const box = mailbox()
    expect((await box.send('POST', '/users/forgot-password', { email: claims.email })).status).toBe(202)
    const reset = await box.send('POST', '/users/reset-password', { token: box.token(claims.email, 'reset'), newPassword: 'a first password' })
    expect(reset.status).toBe(200)
    expect((await send('POST', '/users/login', { email: claims.email, password: 'a first password' })).status).toBe(200)
    expect((await p.signIn(await p.mint({ claims: { sub: claims.sub, email: claims.email } }))).status).toBe(200)
  })

  it('DELETE /users/profile with a password answers 401 Invalid password, after the same bcrypt work', async () => {
    const { body } = await signedUp()
    const verify = vi.spyOn(passwords, 'verify')
    const res = await send('DELETE', '/users/profile', { password: PASSWORD }, bearer(body.token))
    expect([res.status, await res.json()]).toEqual([401, { status: 401, message: 'Invalid password', code: 'WRONG_PASSWORD' }])
    expect(verify).toHaveBeenCalledWith(PASSWORD, null, 4)
  })
})

describe('DELETE /users/profile { idToken }', () => {
  const INVALID = { status: 401, message: 'Invalid ID token', code: 'OIDC_TOKEN_INVALID' }
  const remove = (p: { bindings: Json }, session: string, body: Json) =>
    callWith(p.bindings, '/users/profile', jsonInit('DELETE', body, bearer(session)))

  it('deletes the account with a fresh ID token of a linked identity: the user and its identities are gone', async () => {
    const { p, body, claims } = await signedUp()
    const res = await remove(p, body.token, { idToken: await p.mint({ claims: { sub: claims.sub, email: claims.email } }) })
    expect([res.status, await res.json()]).toEqual([200, { message: 'Account deleted' }])
    expect(await userRow(body.user._id)).toBeNull()
    expect(await identitiesOf(claims.sub)).toEqual([])
    expect((await call('/users/profile', { headers: bearer(body.token) })).status).toBe(401)
  })

  it('refuses an ID token issued more than 5 minutes ago, and keeps the account', async () => {
    const { p, body, claims } = await signedUp()
    const stale = await p.mint({ claims: { sub: claims.sub, email: claims.email, iat: now() - 301 } })
    const res = await remove(p, body.token, { idToken: stale })
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await userRow(body.user._id)).not.toBeNull()
  })

  it('refuses an ID token of an identity linked to another user', async () => {
    const { p, body } = await signedUp()
    const other = await p.signIn(await p.mint())
    expect(other.status).toBe(201)
    const foreign = await p.mint() // a subject of its own: not linked to this user
    const res = await remove(p, body.token, { idToken: foreign })
    expect([res.status, await res.json()]).toEqual([401, INVALID])
    expect(await userRow(body.user._id)).not.toBeNull()
  })

  it('refuses an ID token that fails verification (another audience)', async () => {
    const { p, body, claims } = await signedUp()
    const res = await remove(p, body.token, { idToken: await p.mint({ claims: { sub: claims.sub, aud: 'other.apps.example' } }) })
    expect([res.status, await res.json()]).toEqual([401, INVALID])
  })

  it('answers 400 on idToken for a body with both a password and an ID token', async () => {
    const { p, body, claims } = await signedUp()
    const res = await remove(p, body.token, { password: PASSWORD, idToken: await p.mint({ claims: { sub: claims.sub } }) })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).errors).toEqual([
      { msg: 'Send the password or an ID token, not both', param: 'idToken', path: 'idToken', location: 'body' },
    ])
    expect(await userRow(body.user._id)).not.toBeNull()
  })
})

describe('logs', () => {
  it('nothing from the ID token is logged: not the token, its subject, email or name; the request log names the user id', async () => {
    const lines: string[] = []
    for (const level of ['log', 'error', 'warn', 'info'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
    }
    const p = localProvider()
    const email = uniqueEmail('secret')
    const claims = { email, given_name: 'Zebedee', family_name: 'Quixotic' }
    const token = await p.mint({ claims })
    const res = await p.signIn(token)
    const { user } = (await res.json()) as Json
    await p.signIn(await p.mint({ claims: { ...claims, aud: 'other.apps.example' } })) // refused
    await p.signIn(await p.mint({ claims: { ...claims, email_verified: false } })) // refused
    await p.signIn(await p.mint({ claims: { email: uniqueEmail('hint') } }), { overrides: { OIDC_SIGNUP: 'false' } }) // 404
    const logged = lines.join('\n')
    for (const secret of [token, token.split('.')[2], claimsOf(token).sub, email, 'Zebedee', 'Quixotic']) expect(logged).not.toContain(secret)
    const requests = lines.filter((l) => l.startsWith('{"type":"request"')).map((l) => JSON.parse(l) as Json)
    expect(requests[0]).toMatchObject({ route: '/users/oidc/:provider/login', status: 201, userId: user._id })
    expect(requests).toHaveLength(4)
  })
})

describe('GET / (the demo page)', () => {
  it('with GOOGLE_CLIENT_ID: its CSP lets Google Identity Services in, and its body carries the client id', async () => {
    const res = await callWith({ GOOGLE_CLIENT_ID: CLIENT_ID }, '/')
    expect(res.status).toBe(200)
    const csp = res.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toMatch(/script-src 'self' https:\/\/accounts\.google\.com\/gsi\/client(;|$)/)
    expect(csp).toMatch(/frame-src 'self' https:\/\/accounts\.google\.com\/gsi\/(;|$)/)
    expect(csp).toMatch(/connect-src 'self' https:\/\/accounts\.google\.com\/gsi\/(;|$)/)
    expect(csp).toMatch(/style-src 'self' https:\/\/accounts\.google\.com\/gsi\/style(;|$)/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin-allow-popups')
    expect(await res.text()).toContain(`<body data-google-client-id="${CLIENT_ID}">`)
  })

  it('without GOOGLE_CLIENT_ID: the page and its headers exactly as the static file has them', async () => {
    const res = await callWith({ GOOGLE_CLIENT_ID: '' }, '/')
    const file = await env.ASSETS!.fetch('https://api.example.test/')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toBe(file.headers.get('Content-Security-Policy'))
    expect(res.headers.get('Content-Security-Policy')).not.toMatch(/google/)
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin')
    expect(await res.text()).toBe(await file.text())
  })
})
