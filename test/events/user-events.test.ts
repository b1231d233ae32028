import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import type { EventMessage } from '../../src/events/user-events'
import worker from '../../src/index'
import { mailbox, registeredIn } from '../support/mailbox'
import { localProvider } from '../support/oidc'
import { BASE, bearer, call, callWith, type Json, jsonInit } from '../support/request'
import { PASSWORD, uniqueEmail, userCount, userRow } from '../support/users'
import { deadLetters, type Delivery, hook } from '../support/webhooks'

// The producer: which requests queue which events, when, in what shape, and what never goes into one.
// EVENTS is a recorder here (the consumer has its own tests): what a route sent is what it queued.

const RECEIVERS = ['https://hooks.example.test/users', 'https://mirror.example.test/webhooks?source=auth']
const SECRET = `whsec_${btoa('k'.repeat(32))}`
const NEW_PASSWORD = 'battery staple horse'

type Event = { id: string; url: string; type: string; timestamp: string; user: Json }

/** A queue binding that records what is sent (`refuse`: every send throws, as an unavailable queue would). */
function recordingQueue({ refuse = false } = {}) {
  const sent: EventMessage[] = []
  const record = async (bodies: EventMessage[]) => {
    if (refuse) throw new Error('Queue send failed: service unavailable')
    sent.push(...bodies)
  }
  return {
    sent,
    binding: {
      send: (body: EventMessage) => record([body]),
      sendBatch: (messages: { body: EventMessage }[]) => record(messages.map((m) => m.body)),
    },
  }
}

/** A mailbox (for the emailed links) whose Worker has WEBHOOK_URL set and EVENTS recorded. */
function outbox(overrides: Json = {}, queue = recordingQueue()) {
  const box = mailbox({ WEBHOOK_URL: RECEIVERS[0], WEBHOOK_SECRET: SECRET, EVENTS: queue.binding, ...overrides })
  /** The events queued so far (for the first receiver), decoded. */
  const events = (): Event[] =>
    queue.sent
      .filter((m) => m.url === RECEIVERS[0])
      .map(({ id, url, body }) => {
        const { type, timestamp, data, ...rest } = JSON.parse(body)
        expect(rest).toEqual({}) // the payload is { type, timestamp, data: { user } } and nothing else
        expect(Object.keys(data)).toEqual(['user'])
        return { id, url, type, timestamp, user: data.user }
      })
  return { ...box, queue, events, types: () => events().map((e) => e.type) }
}

type Outbox = ReturnType<typeof outbox>

async function signedUp(box: Outbox) {
  const registration = await registeredIn(box)
  return { ...registration, session: bearer(registration.token!) }
}

describe('user events: what each change queues', () => {
  it('POST /users/register queues user.created with the user as register answered it, once the row exists', async () => {
    const box = outbox()
    const { user } = await signedUp(box)
    const [event, ...more] = box.events()
    expect(more).toEqual([])
    expect(event).toMatchObject({ type: 'user.created', url: RECEIVERS[0], user })
    expect(event.id).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(Date.parse(user.createdAt))
    expect(await userRow(user._id)).not.toBeNull()
  })

  it('POST /users/register has queued the event when it answers (in the request, not after it)', async () => {
    const box = outbox()
    const ctx = createExecutionContext()
    const body = { fullName: 'Ada Lovelace', email: uniqueEmail(), password: PASSWORD }
    const res = await worker.fetch(new Request(`${BASE}/users/register`, jsonInit('POST', body)), box.bindings as never, ctx)
    expect(res.status).toBe(201)
    expect(box.types()).toEqual(['user.created']) // before the background work (the email) is waited for
    await waitOnExecutionContext(ctx)
  })

  it('POST /users/register answering 409 for a taken email queues nothing', async () => {
    const box = outbox()
    const { email } = await signedUp(box)
    const before = box.events().length
    const res = await box.send('POST', '/users/register', { fullName: 'Eve Mallory', email, password: PASSWORD })
    expect(res.status).toBe(409)
    expect(box.events()).toHaveLength(before)
  })

  it('PATCH /users/profile queues user.updated with the new name; a refused one (400) queues nothing', async () => {
    const box = outbox()
    const { session } = await signedUp(box)
    expect((await box.send('PATCH', '/users/profile', { fullName: { firstName: 'Gr' } }, session)).status).toBe(400)
    const res = await box.send('PATCH', '/users/profile', { fullName: 'Grace Hopper' }, session)
    const { user } = (await res.json()) as Json
    expect(box.types()).toEqual(['user.created', 'user.updated'])
    expect(box.events()[1].user).toEqual(user)
    expect(user.fullName).toEqual({ firstName: 'Grace', lastName: 'Hopper' })
  })

  it('POST /users/verify-email queues user.updated with emailVerified true; a used link (400) queues nothing', async () => {
    const box = outbox()
    const { email } = await signedUp(box)
    const token = box.token(email, 'verify')
    expect((await box.send('POST', '/users/verify-email', { token })).status).toBe(200)
    expect((await box.send('POST', '/users/verify-email', { token })).status).toBe(400)
    expect(box.types()).toEqual(['user.created', 'user.updated'])
    expect(box.events()[1].user.emailVerified).toBe(true)
  })

  it('PATCH /users/changePassword queues user.updated and user.signed_out_everywhere; a wrong old password queues nothing', async () => {
    const box = outbox()
    const { email } = await signedUp(box)
    const wrong = await box.send('PATCH', '/users/changePassword', { email, oldPassword: 'not the password', newPassword: NEW_PASSWORD })
    expect(wrong.status).toBe(401)
    expect(box.types()).toEqual(['user.created'])
    const res = await box.send('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword: NEW_PASSWORD })
    expect(res.status).toBe(200)
    const [, updated, signedOut] = box.events()
    expect([updated.type, signedOut.type]).toEqual(['user.updated', 'user.signed_out_everywhere'])
    expect(updated.id).not.toBe(signedOut.id) // two events, two webhook-ids
    expect(updated.user.updatedAt > box.events()[0].user.updatedAt).toBe(true)
  })

  it('POST /users/reset-password queues user.updated (email verified) and user.signed_out_everywhere; a bad link queues nothing', async () => {
    const box = outbox()
    const { email } = await signedUp(box)
    expect((await box.send('POST', '/users/reset-password', { token: 'x.1.y', newPassword: NEW_PASSWORD })).status).toBe(400)
    expect((await box.send('POST', '/users/forgot-password', { email })).status).toBe(202)
    const res = await box.send('POST', '/users/reset-password', { token: box.token(email, 'reset'), newPassword: NEW_PASSWORD })
    expect(res.status).toBe(200)
    expect(box.types()).toEqual(['user.created', 'user.updated', 'user.signed_out_everywhere'])
    expect(box.events()[1].user.emailVerified).toBe(true)
  })

  it('POST /users/logout-all queues user.signed_out_everywhere; login, profile and logout queue nothing', async () => {
    const box = outbox()
    const { email, session } = await signedUp(box)
    expect((await box.send('POST', '/users/login', { email, password: PASSWORD })).status).toBe(200)
    expect((await box.call('/users/profile', { headers: session })).status).toBe(200)
    expect((await box.call('/users/logout-all', { method: 'POST', headers: session })).status).toBe(200)
    expect(box.types()).toEqual(['user.created', 'user.signed_out_everywhere'])
  })

  it('DELETE /users/profile queues user.deleted with the user as it was; a wrong password (401) queues nothing', async () => {
    const box = outbox()
    const { session, user } = await signedUp(box)
    expect((await box.send('DELETE', '/users/profile', { password: 'not the password' }, session)).status).toBe(401)
    expect(box.types()).toEqual(['user.created'])
    expect((await box.send('DELETE', '/users/profile', { password: PASSWORD }, session)).status).toBe(200)
    expect(box.types()).toEqual(['user.created', 'user.deleted'])
    expect(box.events()[1].user).toEqual(user)
    expect(await userRow(user._id)).toBeNull()
  })

  it('no event of an account’s whole life holds a password, a hash or a token', async () => {
    const box = outbox({ WEBHOOK_DIALECT: 'standard' })
    const { email, token: session, user } = await signedUp(box)
    const secrets = [PASSWORD, NEW_PASSWORD, session!, box.token(email, 'verify')]
    secrets.push((await userRow(user._id))!.password_hash)
    await box.send('POST', '/users/verify-email', { token: box.token(email, 'verify') })
    const login = (await (await box.send('POST', '/users/login', { email, password: PASSWORD })).json()) as Json
    secrets.push(login.token)
    await box.send('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword: 'an0ther-pass-word' })
    secrets.push('an0ther-pass-word', (await userRow(user._id))!.password_hash)
    await box.send('POST', '/users/forgot-password', { email })
    const reset = box.token(email, 'reset')
    await box.send('POST', '/users/reset-password', { token: reset, newPassword: NEW_PASSWORD })
    secrets.push(reset, (await userRow(user._id))!.password_hash)
    const again = ((await (await box.send('POST', '/users/login', { email, password: NEW_PASSWORD })).json()) as Json).token
    secrets.push(again)
    await box.send('PATCH', '/users/profile', { fullName: 'Ada King' }, bearer(again))
    await box.call('/users/logout-all', { method: 'POST', headers: bearer(again) })
    const last = ((await (await box.send('POST', '/users/login', { email, password: NEW_PASSWORD })).json()) as Json).token
    await box.send('DELETE', '/users/profile', { password: NEW_PASSWORD }, bearer(last))
    secrets.push(last)

    expect(box.types()).toEqual([
      'user.created', 'user.updated', 'user.updated', 'user.signed_out_everywhere', 'user.updated',
      'user.signed_out_everywhere', 'user.updated', 'user.signed_out_everywhere', 'user.deleted',
    ])
    for (const message of box.queue.sent) {
      const text = JSON.stringify(message)
      for (const secret of secrets) expect(text).not.toContain(secret)
      // No key that could hold one, in any shape.
      expect(text).not.toMatch(/password|hash|token|tokenVersion|"ver"/i)
    }
  })
})

describe('user events: sign-in with a provider', () => {
  /** A local provider whose sign-ins run with the outbox's event settings. */
  function providerFor(box: Outbox) {
    const p = localProvider()
    const overrides = { WEBHOOK_URL: RECEIVERS[0], WEBHOOK_SECRET: SECRET, EVENTS: box.queue.binding }
    return { ...p, signInWithEvents: (token: string) => p.signIn(token, { overrides }) }
  }

  it('a first sign-in queues user.created with the account it answered; the next sign-in queues nothing', async () => {
    const box = outbox()
    const p = providerFor(box)
    const email = uniqueEmail('oidc')
    const token = await p.mint({ claims: { email } })
    const res = await p.signInWithEvents(token)
    expect(res.status).toBe(201)
    const { user } = (await res.json()) as Json
    expect(box.events()).toEqual([expect.objectContaining({ type: 'user.created', user })])
    expect(user).toMatchObject({ email, emailVerified: true })
    expect((await p.signInWithEvents(token)).status).toBe(200)
    expect(box.types()).toEqual(['user.created'])
  })

  it('taking over an unverified password account queues user.updated and user.signed_out_everywhere', async () => {
    const box = outbox()
    const p = providerFor(box)
    const { email } = await signedUp(box)
    const res = await p.signInWithEvents(await p.mint({ claims: { email } }))
    expect(res.status).toBe(200)
    const { user } = (await res.json()) as Json
    expect(box.types()).toEqual(['user.created', 'user.updated', 'user.signed_out_everywhere'])
    expect(box.events()[1].user).toEqual(user)
    expect(user.emailVerified).toBe(true)
  })

  it('linking a verified account that has a picture changes nothing and queues nothing', async () => {
    const box = outbox()
    const p = providerFor(box)
    const { email, user } = await signedUp(box)
    await env.DB.prepare("UPDATE users SET email_verified = 1, profile_pic = 'https://pictures.example/own.png' WHERE id = ?").bind(user._id).run()
    const res = await p.signInWithEvents(await p.mint({ claims: { email } }))
    expect(res.status).toBe(200)
    expect(box.types()).toEqual(['user.created'])
  })

  it('a refused ID token queues nothing', async () => {
    const box = outbox()
    const p = providerFor(box)
    const res = await p.signInWithEvents(await p.mint({ claims: { email: uniqueEmail('oidc'), email_verified: false } }))
    expect(res.status).toBe(401)
    expect(box.events()).toEqual([])
  })
})

describe('user events: receivers and shapes', () => {
  it('each URL of WEBHOOK_URL gets its own message of each event, with the same webhook-id and body', async () => {
    const box = outbox({ WEBHOOK_URL: ` ${RECEIVERS.join(' , ')} ` })
    await signedUp(box)
    const [a, b, ...more] = box.queue.sent
    expect(more).toEqual([])
    expect([a.url, b.url]).toEqual(RECEIVERS)
    expect(b).toEqual({ ...a, url: b.url })
  })

  it('WEBHOOK_DIALECT=mongoose sends the user as the mongoose document, a Mongo mirror stores it as is', async () => {
    const box = outbox({ WEBHOOK_DIALECT: 'mongoose' })
    const { user } = await signedUp(box)
    expect(box.events()[0].user).toEqual({ _id: user._id, fullname: { firstname: 'Ada', lastname: 'Lovelace' }, email: user.email, socketId: null })
  })

  it.each([
    ['envelope', (u: Json) => ({ _id: u._id, fullName: 'Ada Lovelace', email: u.email, profilePic: null, socketId: null, createdAt: u.createdAt, updatedAt: u.updatedAt })],
    ['id', (u: Json) => ({ id: u._id, fullName: { firstName: 'Ada', lastName: 'Lovelace' }, email: u.email })],
    ['msg', (u: Json) => ({ _id: u._id, fullName: { firstName: 'Ada', lastName: 'Lovelace' }, email: u.email, socketId: null, createdAt: u.createdAt, updatedAt: u.updatedAt })],
  ])('WEBHOOK_DIALECT=%s sends the user in that dialect’s shape', async (dialect, shape) => {
    const box = outbox({ WEBHOOK_DIALECT: dialect })
    const { user } = await signedUp(box)
    expect(box.events()[0].user).toEqual(shape(user))
  })
})

describe('user events: configuration', () => {
  it('without WEBHOOK_URL nothing is queued, even with the EVENTS binding and a secret', async () => {
    const box = outbox({ WEBHOOK_URL: '' })
    const { session } = await signedUp(box)
    await box.send('PATCH', '/users/profile', { fullName: 'Grace Hopper' }, session)
    expect(box.queue.sent).toEqual([])
  })

  it('without WEBHOOK_URL no EVENTS binding and no secret are needed: register answers 201, /health 200', async () => {
    const bindings = { WEBHOOK_URL: '', EVENTS: undefined, WEBHOOK_SECRET: undefined }
    const body = { fullName: 'Ada Lovelace', email: uniqueEmail(), password: PASSWORD }
    expect((await callWith(bindings, '/users/register', jsonInit('POST', body))).status).toBe(201)
    expect((await callWith(bindings, '/health')).status).toBe(200)
  })

  it.each([
    ['the EVENTS binding is missing', { EVENTS: undefined }, 'EVENTS: WEBHOOK_URL is set but the EVENTS queue binding is missing'],
    ['WEBHOOK_SECRET is not set', { WEBHOOK_SECRET: undefined }, 'WEBHOOK_SECRET: WEBHOOK_URL is set but WEBHOOK_SECRET is not `whsec_`'],
    ['WEBHOOK_SECRET has no whsec_ prefix', { WEBHOOK_SECRET: btoa('k'.repeat(32)) }, 'WEBHOOK_SECRET: '],
    ['WEBHOOK_SECRET is not base64', { WEBHOOK_SECRET: 'whsec_not base64!' }, 'WEBHOOK_SECRET: '],
    ['WEBHOOK_SECRET is too short', { WEBHOOK_SECRET: `whsec_${btoa('k'.repeat(16))}` }, 'WEBHOOK_SECRET: '],
    ['WEBHOOK_URL is not a URL', { WEBHOOK_URL: 'hooks.example.test/users' }, 'WEBHOOK_URL.0: WEBHOOK_URL must be http(s) URLs'],
    ['WEBHOOK_URL is not http(s)', { WEBHOOK_URL: 'ftp://hooks.example.test/users' }, 'WEBHOOK_URL.0: WEBHOOK_URL must be http(s) URLs'],
    ['WEBHOOK_DIALECT is unknown', { WEBHOOK_DIALECT: 'express' }, 'WEBHOOK_DIALECT: WEBHOOK_DIALECT must be one of'],
  ])('with WEBHOOK_URL set and %s: register answers 500 and writes nothing, /health 503, the log names it', async (_what, overrides, logged) => {
    const queue = recordingQueue()
    const bindings = { WEBHOOK_URL: RECEIVERS[0], WEBHOOK_SECRET: SECRET, EVENTS: queue.binding, ...overrides }
    const email = uniqueEmail()
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const res = await callWith(bindings, '/users/register', jsonInit('POST', { fullName: 'Ada Lovelace', email, password: PASSWORD }))
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ status: 500, message: 'Internal server error', code: 'INTERNAL_ERROR' })
      expect(await userCount(email)).toBe(0)
      const health = await callWith(bindings, '/health')
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({ status: 503, message: 'Unavailable: configuration', code: 'HEALTH_CHECK_FAILED' })
      const lines = log.mock.calls.map((args) => args.join(' '))
      expect(lines.some((l) => l.includes(logged))).toBe(true)
      expect(lines.join('\n')).not.toContain(SECRET.slice(6)) // never the secret's value
      expect(queue.sent).toEqual([])
    } finally {
      log.mockRestore()
    }
  })

  it('each route that emits refuses (500) before it writes when the settings are invalid: PATCH /profile keeps the name', async () => {
    const box = outbox()
    const { session, user } = await signedUp(box)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const res = await callWith({ WEBHOOK_URL: RECEIVERS[0], WEBHOOK_SECRET: 'nope' }, '/users/profile', jsonInit('PATCH', { fullName: 'Grace Hopper' }, session))
      expect(res.status).toBe(500)
      expect((await userRow(user._id))!.first_name).toBe('Ada')
    } finally {
      log.mockRestore()
    }
  })

  it('a queue that refuses the send: register still answers 201 (the user exists), and the log names the event, never its payload', async () => {
    const box = outbox({}, recordingQueue({ refuse: true }))
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { email, user } = await signedUp(box)
      expect(await userCount(email)).toBe(1)
      const lines = log.mock.calls.map(([first]) => String(first)).filter((l) => l.startsWith('{"type":"event"'))
      expect(lines).toHaveLength(1)
      const line = JSON.parse(lines[0])
      expect(line).toEqual({
        type: 'event',
        message: 'User events not queued: Queue send failed: service unavailable',
        events: [{ id: expect.stringMatching(/^msg_/), type: 'user.created' }],
        userId: user._id,
      })
      expect(lines[0]).not.toContain(email)
    } finally {
      log.mockRestore()
    }
  })

  it('the real EVENTS binding of the test configuration accepts what register queues', async () => {
    // The recorder stands in for it everywhere else; this one goes through the local queue. Its
    // consumer runs with the test configuration (no WEBHOOK_URL): it keeps the message, which ends
    // in the dead-letter queue, whose reader hands it to the local receiver (vitest.config.ts). The
    // test waits for it there, so its consumer's log lines are this test's, not a later file's.
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const local = hook()
    let dead: Delivery[] = []
    let lines: string[] = []
    try {
      const body = { fullName: 'Ada Lovelace', email: uniqueEmail(), password: PASSWORD }
      const res = await callWith({ WEBHOOK_URL: local, WEBHOOK_SECRET: SECRET, EVENTS: env.EVENTS }, '/users/register', jsonInit('POST', body))
      expect(res.status).toBe(201)
      dead = await deadLetters(local)
    } finally {
      lines = log.mock.calls.map(([line]) => String(line))
      log.mockRestore()
    }
    expect(lines.filter((l) => l.includes('not queued'))).toEqual([])
    expect(dead).toHaveLength(1)
    const message = JSON.parse(dead[0].body) as EventMessage
    expect(message.url).toBe(local)
    expect(JSON.parse(message.body).type).toBe('user.created')
    const attempts = lines.filter((l) => l.includes(message.id)).map((l) => JSON.parse(l).attempt)
    expect(attempts).toEqual([1, 2])
  }, 40_000)
})
