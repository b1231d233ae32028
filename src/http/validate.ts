import type { Hook } from '@hono/zod-openapi'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../core/errors'
import type { AppEnv } from '../types'

/** A JSON media type, as Hono's validator reads it (`application/json`, `application/<x>+json`). */
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i
/** The stricter spelling @hono/zod-openapi's media-type gate accepts (it runs after this middleware). */
const GATE_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i

/** Every `charset` parameter of a Content-Type, unquoted and lowercased (usually none or one). */
function charsetsOf(type: string): string[] {
  const charsets: string[] = []
  for (const param of type.split(';').slice(1)) {
    const eq = param.indexOf('=')
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue
    charsets.push(param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase())
  }
  return charsets
}

/** Fails on the first byte sequence that is not UTF-8, instead of replacing it with U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Bodies are UTF-8 JSON only: anything else is refused before it is parsed. The first middleware of
 * every route that takes a body.
 * - Another media type: 415. A charset other than utf-8 (any case, quoted or not, or a second
 *   charset parameter that is not utf-8): 415, since
 *   JSON is UTF-8 (RFC 8259) and decoding it as anything else would change the password it carries.
 * - Bytes that are not UTF-8: 400. Decoded leniently, distinct Latin-1 passwords would all become
 *   U+FFFD and match each other. The strict decoding happens here, once, and so does the parsing
 *   (not JSON: 400): the value is put in Hono's body cache, where the validator finds it.
 * The gate behind it would refuse, with its own message, some spellings RFC 9110 allows and this
 * API has always read (`application/json ; charset=utf-8`, `application/json;`,
 * `application/vnd.api.v2+json`): those are handed on as `application/json`.
 */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header('Content-Type') ?? ''
  if (!JSON_TYPE.test(type.split(';')[0].trim())) throw new ApiError('UNSUPPORTED_MEDIA_TYPE')
  // Every charset given must be utf-8: with two, another reader could honour the other one.
  if (charsetsOf(type).some((charset) => charset !== 'utf-8')) throw new ApiError('UNSUPPORTED_CHARSET')
  if (!GATE_TYPE.test(type)) {
    const headers = new Headers(c.req.raw.headers)
    headers.set('Content-Type', 'application/json')
    c.req.raw = new Request(c.req.raw, { headers })
  }
  const bytes = await c.req.arrayBuffer()
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    throw new ApiError('INVALID_UTF8')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new ApiError('MALFORMED_JSON')
  }
  // Hono keeps promises in its body cache: the validator's `c.req.json()` reads this one.
  c.req.bodyCache.json = Promise.resolve(json)
  await next()
})

/** The one validation hook: every invalid request becomes the same 400 `errors[]` shape. */
export const defaultHook: Hook<unknown, AppEnv, string, void> = (result) => {
  if (!result.success) throw ApiError.validation(result.error)
}
