import { json, thrown } from '../docs/openapi.responses'
import * as ex from '../docs/openapi.examples'
import { ErrorSchema } from '../docs/openapi.schemas'

/** 429 on the routes that send email or check a password (per IP, per email or user, per hour). */
export const lifecycleLimitErrors = thrown({
  429: json(
    ErrorSchema,
    'Rate limited: per client IP, per email or account (5 per minute), and at most 5 emails per address per hour; retry after `Retry-After` seconds.',
    ex.errors.tooMany,
    { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  ),
})
