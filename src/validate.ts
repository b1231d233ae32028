import type { Hook } from '@hono/zod-openapi'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './env'
import { ApiError } from './errors'

/** A JSON media type, as Hono's validator reads it (`application/json`, `application/<x>+json`). */
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i
/** The stricter spelling @hono/zod-openapi's media-type gate accepts (it runs after this middleware). */
const GATE_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i

/**
 * Bodies are JSON only: anything else is refused before it is parsed. The first middleware of every
 * route that takes a body. The gate behind it would refuse, with its own message, some spellings
 * RFC 9110 allows and this API has always read (`application/json ; charset=utf-8`,
 * `application/json;`, `application/vnd.api.v2+json`): those are handed on as `application/json`.
 */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header('Content-Type') ?? ''
  if (!JSON_TYPE.test(type.split(';')[0].trim())) throw new ApiError(415, 'Content-Type must be application/json')
  if (!GATE_TYPE.test(type)) {
    const headers = new Headers(c.req.raw.headers)
    headers.set('Content-Type', 'application/json')
    c.req.raw = new Request(c.req.raw, { headers })
  }
  await next()
})

/** The one validation hook: every invalid request becomes the same 400 `errors[]` shape. */
export const defaultHook: Hook<unknown, AppEnv, string, void> = (result) => {
  if (!result.success) throw ApiError.validation(result.error)
}
