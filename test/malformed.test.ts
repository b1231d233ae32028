import { describe, expect, it } from 'vitest'
import { type Json, PREFIXES, call } from './helpers'

const ROUTES = [
  ['POST', 'register'],
  ['POST', 'login'],
  ['PATCH', 'changePassword'],
] as const

const raw = (method: string, path: string, body: string, type = 'application/json') =>
  call(path, { method, headers: { 'Content-Type': type }, body })

describe.each(PREFIXES)('malformed bodies under %s', (prefix) => {
  it.each(ROUTES)('%s /%s answers 400 JSON for malformed JSON', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '{"email": "a@b.co", ')
    expect(res.status).toBe(400)
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({ status: 400, message: 'Malformed JSON in request body', code: 'MALFORMED_JSON' })
  })

  it.each(ROUTES)('%s /%s answers 400 JSON for a body that is not a JSON object', async (method, route) => {
    for (const body of ['[]', '"text"', '42', 'null', 'true']) {
      const res = await raw(method, `${prefix}/${route}`, body)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ status: 400, message: 'Request body must be a JSON object', code: 'BODY_NOT_OBJECT' })
    }
  })

  it.each(ROUTES)('%s /%s answers 400 JSON for an empty body', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '')
    expect(res.status).toBe(400)
    expect(((await res.json()) as Json).status).toBe(400)
  })

  it.each(ROUTES)('%s /%s answers 415 JSON for a body that is not declared JSON', async (method, route) => {
    const res = await raw(method, `${prefix}/${route}`, '{}', 'text/plain')
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual({ status: 415, message: 'Content-Type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' })
  })
})
