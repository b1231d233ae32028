import { json, thrown } from '../docs/openapi.responses'
import * as ex from '../docs/openapi.examples'
import { ErrorSchema } from '../docs/openapi.schemas'

/** 429 on an account route, with what limits that route (each route says its own). */
export const lifecycleLimitErrors = (limits: string) =>
  thrown({
    429: json(ErrorSchema, `Rate limited: ${limits}; retry after \`Retry-After\` seconds.`, ex.errors.tooMany, {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    }),
  })
