import { describe, expect, it } from 'vitest'
import { call, uniqueEmail } from './helpers'

const login = (type: string) =>
  call('/users/login', {
    method: 'POST',
    headers: { 'Content-Type': type },
    body: JSON.stringify({ email: uniqueEmail(), password: 'not the password' }),
  })

describe('POST /users/login Content-Type spellings', () => {
  it.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json;charset=UTF-8',
    'application/json ; charset=utf-8',
    'application/json;',
    'application/vnd.api+json',
    'application/vnd.api.v2+json',
  ])('reads a body sent as %s as JSON (401 for unknown credentials)', async (type) => {
    const res = await login(type)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ status: 401, message: 'Invalid email or password', code: 'BAD_CREDENTIALS' })
  })

  it.each(['text/plain', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data', 'json'])(
    'answers 415 for %s',
    async (type) => {
      const res = await login(type)
      expect(res.status).toBe(415)
      expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
    },
  )
})
