import { createRoute, z } from '@hono/zod-openapi'
import * as ex from '../docs/openapi.examples'
import { json, serverErrors, thrown } from '../docs/openapi.responses'
import { ErrorSchema } from '../docs/openapi.schemas'
import { ApiError } from '../errors'
import { createRouter } from '../router'

const HealthOk = z.object({ status: z.literal('ok') }).openapi('HealthOk')

const health_ = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  tags: ['health'],
  summary: 'Health',
  description: 'Answers after a trivial D1 query.',
  responses: {
    200: json(HealthOk, 'D1 answered.', ex.simple.health),
    ...serverErrors,
    ...thrown({ 503: json(ErrorSchema, 'D1 did not answer.', ex.errors.databaseDown) }),
  },
})

/** Liveness that includes the database: one trivial D1 query. */
export const health = createRouter().openapi(health_, async (c) => {
  try {
    await c.env.DB.prepare('SELECT 1').first()
  } catch (e) {
    console.error('Health check: D1 query failed', e)
    throw ApiError.databaseUnavailable()
  }
  return c.json({ status: 'ok' as const }, 200)
})
