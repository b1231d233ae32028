import { describe, expect, it } from 'vitest'
import { bearer, call, cookie, type Json, jsonInit, PASSWORD, PREFIXES, registered } from './helpers'

const check = (prefix: string, headers: Record<string, string> = {}) => call(`${prefix}/session`, { headers })

describe.each(PREFIXES)('GET %s/session', (prefix) => {
  it('answers 200 { user: null } without a token', async () => {
    const res = await check(prefix)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
    expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  it('answers 200 { user } with a Bearer token or the cookie', async () => {
    const { token, json: reg } = await registered(prefix)
    for (const headers of [bearer(token), cookie(token)]) {
      const res = await check(prefix, headers)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ user: reg.user })
    }
  })

  it('answers 200 { user: null } for an invalid, revoked, outdated or orphaned token, never 401', async () => {
    const revoked = await registered(prefix)
    await call(`${prefix}/logout`, { method: 'POST', headers: bearer(revoked.token) })
    const outdated = await registered(prefix)
    await call(`${prefix}/logout-all`, { method: 'POST', headers: bearer(outdated.token) })
    const deleted = await registered(prefix)
    await call(`${prefix}/profile`, jsonInit('DELETE', { password: PASSWORD }, bearer(deleted.token)))
    for (const headers of [
      bearer('garbage'),
      cookie('garbage'),
      bearer(revoked.token),
      cookie(outdated.token),
      bearer(deleted.token),
      { Authorization: 'Basic abc' },
    ]) {
      const res = await check(prefix, headers)
      expect(res.status, JSON.stringify(headers)).toBe(200)
      expect(await res.json()).toEqual({ user: null })
    }
  })

  it('shows the email’s verification state', async () => {
    const { token } = await registered(prefix)
    const { user } = (await (await check(prefix, bearer(token))).json()) as Json
    expect(user.emailVerified).toBe(false)
  })
})
