import { describe, expect, it, vi } from 'vitest'
import { call, callWith, PREFIXES, send } from './helpers'

describe('app', () => {
  it('GET /health answers 200 { status: "ok" } after its D1 and KV checks', async () => {
    const res = await call('/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it.each(PREFIXES)('GET %s/health is served under the users prefixes too', async (prefix) => {
    const res = await call(`${prefix}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('an unknown route answers 404 { status, message } as JSON', async () => {
    const res = await call('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({ status: 404, message: 'Not found', code: 'NOT_FOUND' })
  })

  it.each(PREFIXES)('an unknown route under %s answers 404 JSON', async (prefix) => {
    const res = await send('POST', `${prefix}/nope`, {})
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ status: 404, message: 'Not found', code: 'NOT_FOUND' })
  })

  it('responses carry the secure headers', async () => {
    const res = await call('/health')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
  })
})

describe('health when D1 fails', () => {
  it.each(['', ...PREFIXES])('GET %s/health answers 503 JSON when the database query fails', async (prefix) => {
    const brokenDb = {
      prepare: () => {
        throw new Error('D1 is down')
      },
    } as unknown as D1Database
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await callWith({ DB: brokenDb }, `${prefix}/health`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 503, message: 'Unavailable: D1', code: 'HEALTH_CHECK_FAILED' })
    expect(log).toHaveBeenCalled()
    log.mockRestore()
  })
})
