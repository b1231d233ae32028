import { describe, expect, it } from 'vitest'
import { type Json, PASSWORD, bearer, call, registered, send, uniqueEmail } from './helpers'

describe('request hygiene', () => {
  it('a 20 KiB body gets 413 JSON', async () => {
    const res = await send('POST', '/users/register', {
      fullName: 'John Doe',
      email: uniqueEmail(),
      password: PASSWORD,
      padding: 'x'.repeat(20 * 1024),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ status: 413, message: 'Request body too large (limit 16 KiB)', code: 'BODY_TOO_LARGE' })
  })

  it('a streamed body without Content-Length is cut off at 16 KiB with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await call('/users/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(413)
    expect(((await res.json()) as Json).status).toBe(413)
  })

  it('a body just under the limit is parsed normally', async () => {
    const res = await send('POST', '/users/login', { email: uniqueEmail(), password: 'x', padding: 'y'.repeat(15 * 1024) })
    expect(res.status).toBe(401)
  })

  it.each([
    ['POST', '/users/register'],
    ['POST', '/users/login'],
    ['PATCH', '/api/users/changePassword'],
  ])('a text/plain %s %s gets 415 JSON', async (method, path) => {
    const res = await call(path, { method, headers: { 'Content-Type': 'text/plain' }, body: '{}' })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
  })

  it('a form-encoded POST (what a cross-site form sends) gets 415', async () => {
    const res = await call('/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.co&password=x',
    })
    expect(res.status).toBe(415)
  })

  it('a POST without Content-Type gets 415', async () => {
    const res = await call('/users/login', { method: 'POST', body: '{}' })
    expect(res.status).toBe(415)
  })

  it('accepts application/json with a charset', async () => {
    const res = await call('/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ email: uniqueEmail(), password: 'x' }),
    })
    expect(res.status).toBe(401)
  })

  it('every response with a token or user data has Cache-Control: no-store', async () => {
    const { res: reg, email, token } = await registered()
    const login = await send('POST', '/users/login', { email, password: PASSWORD })
    const profile = await call('/users/profile', { headers: bearer(token) })
    const refused = await call('/users/profile')
    for (const res of [reg, login, profile, refused]) expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  it('secure headers are on every response, errors included', async () => {
    for (const res of [await call('/health'), await call('/nope'), await call('/users/profile')]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=/)
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
    }
  })
})
