// GET /health is 200 only when the configuration, D1 (with its users table) and KV are good; else 503 naming which.
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { call, callWith, PREFIXES } from '../support/request'

let log: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  log = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())
const logged = () => log.mock.calls.flat().map(String).join(' ')

const down = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
const statement: Record<string, unknown> = { bind: () => statement, first: down, all: down, run: down, raw: down }
const brokenDb = { prepare: () => statement } as unknown as D1Database
const brokenKv = { get: () => Promise.reject(new Error('KV GET failed: 503')) } as unknown as KVNamespace

const unavailable = (what: string) => ({ status: 503, message: `Unavailable: ${what}`, code: 'HEALTH_CHECK_FAILED' })

describe('GET /health', () => {
  it.each(['', ...PREFIXES])('GET %s/health answers 200 { status: "ok" } when D1, its users table and KV answer', async (prefix) => {
    const res = await call(`${prefix}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it.each(['', ...PREFIXES])('GET %s/health answers 503 naming D1 when the database query fails', async (prefix) => {
    const res = await callWith({ DB: brokenDb }, `${prefix}/health`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual(unavailable('D1'))
    expect(logged()).toMatch(/Health check: D1 failed/)
  })

  // The real local D1 with one table renamed away (as on a database whose migrations were not
  // applied), then renamed back: this file's storage is its own.
  it.each(['users', 'email_quota'])('answers 503 naming the %s table when D1 answers without it', async (table) => {
    await env.DB.exec(`ALTER TABLE ${table} RENAME TO ${table}_away`)
    try {
      const res = await call('/health')
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual(unavailable(`D1 (${table} table missing)`))
    } finally {
      await env.DB.exec(`ALTER TABLE ${table}_away RENAME TO ${table}`)
    }
    expect((await call('/health')).status).toBe(200)
  })

  it('answers 503 naming KV when KV cannot be read', async () => {
    const res = await callWith({ BLACKLIST: brokenKv }, '/health')
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual(unavailable('KV'))
    expect(logged()).toMatch(/Health check: KV failed/)
  })

  it('answers 503 naming both when D1 and KV fail', async () => {
    const res = await callWith({ DB: brokenDb, BLACKLIST: brokenKv }, '/health')
    expect(await res.json()).toEqual(unavailable('D1, KV'))
  })

  it.each([
    ['JWT_SECRET missing', { JWT_SECRET: undefined }, /JWT_SECRET is not set/],
    ['JWT_SECRET too short', { JWT_SECRET: 'too-short-secret-value' }, /JWT_SECRET must be at least 32 bytes/],
    ['BCRYPT_COST out of range', { ENVIRONMENT: undefined, BCRYPT_COST: '4' }, /BCRYPT_COST must be between 10 and 14/],
    ['the KV binding missing', { BLACKLIST: undefined }, /BLACKLIST binding is missing/],
    ['a rate limiter missing', { EMAIL_LIMITER: undefined }, /EMAIL_LIMITER binding is missing/],
    ['the D1 binding missing', { DB: undefined }, /DB binding is missing/],
    ['MAIL_FROM not an email', { MAIL_FROM: 'no-reply' }, /MAIL_FROM must be an email address/],
    ['MAIL_FROM missing', { MAIL_FROM: undefined }, /MAIL_FROM/],
    ['APP_URL not an http(s) URL', { APP_URL: 'javascript:alert(1)' }, /APP_URL must be an http\(s\) URL/],
    ['REQUIRE_EMAIL_VERIFICATION not a boolean', { REQUIRE_EMAIL_VERIFICATION: 'yes' }, /REQUIRE_EMAIL_VERIFICATION must be "true" or "false"/],
  ])('answers 503 naming the configuration with %s, never the value; the log says what is wrong', async (_, overrides, why) => {
    const res = await callWith(overrides, '/health')
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual(unavailable('configuration'))
    expect(text).not.toContain('too-short-secret-value')
    expect(logged()).toMatch(why)
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
