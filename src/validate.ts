import { zValidator } from '@hono/zod-validator'
import { createMiddleware } from 'hono/factory'
import type * as z from 'zod'
import { ApiError } from './errors'

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i

/** Bodies are JSON only: anything else is refused before it is parsed. */
const requireJson = createMiddleware(async (c, next) => {
  const type = c.req.header('Content-Type')?.split(';')[0]?.trim() ?? ''
  if (!JSON_TYPE.test(type)) throw new ApiError(415, 'Content-Type must be application/json')
  await next()
})

/** The one validation wrapper: every invalid body becomes the same 400 `errors[]` shape. */
export const validate = <S extends z.ZodType>(schema: S) =>
  [
    requireJson,
    zValidator('json', schema, (result) => {
      if (!result.success) throw ApiError.validation(result.error)
    }),
  ] as const
