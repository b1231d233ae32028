import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RequestLog } from '../../src/observability/request-log'
import { bearer, call, callWith, type Json, jsonInit, send } from '../support/request'
import { PASSWORD, registered, uniqueEmail } from '../support/users'

afterEach(() => vi.restoreAllMocks())

/** Runs `action` and returns the lines it logged, and its request log lines parsed (one JSON object each). */
async function logsOf(action: () => Promise<unknown>) {
  const log = vi.spyOn(console, 'log')
  await action()
  const lines = log.mock.calls.map((args) => args.join(' '))
  log.mockRestore()
  return { lines, requests: lines.filter((l) => l.startsWith('{"type":"request"')).map((l) => JSON.parse(l) as RequestLog) }
}

describe('request log', () => {
  it('GET /users/profile writes one JSON line: method, route, path, status, duration, request id, user id', async () => {
    const { token, json } = await registered()
    let res!: Response
    const { requests } = await logsOf(async () => {
      res = await call('/users/profile?x=1', { headers: bearer(token) })
    })
    expect(res.status).toBe(200)
    expect(requests).toHaveLength(1)
    const [line] = requests
    expect(line).toEqual({
      type: 'request',
      message: 'GET /users/profile 200',
      requestId: res.headers.get('X-Request-Id'),
      method: 'GET',
      route: '/users/profile',
      path: '/users/profile',
      dialect: 'standard',
      status: 200,
      durationMs: expect.any(Number),
      userId: json.user._id,
    })
    expect(line.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('a /compat/<name> request logs the path as requested and the dialect that rendered the response', async () => {
    const { token } = await registered()
    const responses: Response[] = []
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { requests } = await logsOf(async () => {
      responses.push(await call('/compat/mongoose/users/profile?x=1', { headers: bearer(token) }))
      responses.push(await callWith({ DIALECT: 'msg' }, '/api/users/profile', { headers: bearer(token) }))
      responses.push(await callWith({ DIALECT: 'msg' }, '/compat/standard/users/profile', { headers: bearer(token) }))
      responses.push(await call('/compat/express/users/profile'))
      responses.push(await callWith({ DIALECT: 'nope' }, '/users/profile', { headers: bearer(token) }))
    })
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 404, 500])
    expect(requests.map((r) => [r.message, r.route, r.path, r.dialect])).toEqual([
      ['GET /users/profile 200', '/users/profile', '/compat/mongoose/users/profile', 'mongoose'],
      ['GET /api/users/profile 200', '/api/users/profile', '/api/users/profile', 'msg'],
      ['GET /users/profile 200', '/users/profile', '/compat/standard/users/profile', 'standard'],
      ['GET /compat/express/users/profile 404', null, '/compat/express/users/profile', 'standard'],
      // An invalid DIALECT: no dialect could be chosen, onError's standard 500 answered.
      ['GET /users/profile 500', '/users/profile', '/users/profile', 'standard'],
    ])
  })

  it('POST /users/register and POST /users/login log the user id of the account they answered for', async () => {
    const email = uniqueEmail()
    const bodies: Json[] = []
    const { requests } = await logsOf(async () => {
      bodies.push((await (await send('POST', '/users/register', { fullName: 'Logan Meyer', email, password: PASSWORD })).json()) as Json)
      bodies.push((await (await send('POST', '/users/login', { email, password: PASSWORD })).json()) as Json)
      await send('POST', '/users/login', { email, password: 'wrong-password' })
    })
    const id = bodies[0].user._id
    expect(bodies[1].user._id).toBe(id)
    expect(requests.map((r) => [r.route, r.status, r.userId])).toEqual([
      ['/users/register', 201, id],
      ['/users/login', 200, id],
      ['/users/login', 401, undefined], // a refused login names nobody
    ])
  })

  it('the request id is cf-ray when Cloudflare sets it, a fresh UUID otherwise', async () => {
    const ray = '8f1c2b3a4d5e6f70-LHR'
    const { requests } = await logsOf(async () => {
      const withRay = await call('/health', { headers: { 'cf-ray': ray } })
      expect(withRay.headers.get('X-Request-Id')).toBe(ray)
      const a = await call('/health')
      const b = await call('/health')
      expect(a.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(a.headers.get('X-Request-Id')).not.toBe(b.headers.get('X-Request-Id'))
    })
    expect(requests.map((r) => r.requestId)[0]).toBe(ray)
    expect(requests.map((r) => r.route)).toEqual(['/health', '/health', '/health'])
  })

  it('a cf-ray header that is not an id is not echoed: a UUID is generated instead', async () => {
    const res = await call('/health', { headers: { 'cf-ray': 'x'.repeat(200) } })
    expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('register, login, change password and logout never log the email, password, token or hash', async () => {
    const email = uniqueEmail('secret-check')
    const newPassword = 'an0ther-secret-pass'
    const tokens: string[] = []
    const { lines, requests } = await logsOf(async () => {
      const reg = await send('POST', '/users/register', { fullName: 'Log Check', email, password: PASSWORD })
      tokens.push(((await reg.json()) as Json).token)
      const login = await send('POST', '/api/users/login', { email, password: PASSWORD })
      tokens.push(((await login.json()) as Json).token)
      await send('POST', '/users/login', { email, password: 'wrong-password' })
      await send('PATCH', '/users/changePassword', { email, oldPassword: PASSWORD, newPassword })
      await call('/users/logout', { method: 'POST', headers: bearer(tokens[1]) })
    })
    expect(requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
      'POST /users/register 201',
      'POST /api/users/login 200',
      'POST /users/login 401',
      'PATCH /users/changePassword 200',
      'POST /users/logout 401', // the password change ended that session
    ])
    const all = lines.join('\n')
    for (const secret of [email, PASSWORD, newPassword, 'wrong-password', ...tokens, '$2']) expect(all).not.toContain(secret)
  })

  it('a 404, a CORS preflight and a 500 carry X-Request-Id and are logged with route null or their route', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const responses: Response[] = []
    const { requests } = await logsOf(async () => {
      responses.push(await call('/nope'))
      responses.push(
        await call('/users/login', {
          method: 'OPTIONS',
          headers: { Origin: 'https://app.example.test', 'Access-Control-Request-Method': 'POST' },
        }),
      )
      responses.push(await callWith({ JWT_SECRET: undefined }, '/users/login', jsonInit('POST', { email: uniqueEmail(), password: PASSWORD })))
    })
    expect(responses.map((r) => r.status)).toEqual([404, 204, 500])
    for (const [i, res] of responses.entries()) {
      expect(res.headers.get('X-Request-Id')).toBeTruthy()
      expect(requests[i].requestId).toBe(res.headers.get('X-Request-Id'))
    }
    expect(requests.map((r) => [r.route, r.path, r.status])).toEqual([
      [null, '/nope', 404],
      [null, '/users/login', 204],
      ['/users/login', '/users/login', 500],
    ])
  })

  it('an unhandled error is logged with the request id of the request it broke', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const brokenDb = {
      prepare: () => {
        throw new Error('D1 is down')
      },
    } as unknown as D1Database
    let res!: Response
    await logsOf(async () => {
      res = await callWith({ DB: brokenDb }, '/users/login', jsonInit('POST', { email: uniqueEmail(), password: PASSWORD }))
    })
    expect(res.status).toBeGreaterThanOrEqual(500)
    expect(error.mock.calls.flat().join(' ')).toContain(`request ${res.headers.get('X-Request-Id')}`)
  })
})
