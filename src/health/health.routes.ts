import { createRoute, z } from '@hono/zod-openapi'
import { accountConfigProblem } from '../config/account.config'
import { configProblem } from '../config/app.config'
import { oidcConfigProblem } from '../config/oidc.config'
import { eventsConfigProblem } from '../config/events.config'
import { ApiError } from '../core/errors'
import { ErrorSchema } from '../core/schemas'
import { json, serverErrors, errorResponses } from '../docs/responses'
import { createRouter } from '../http/router'
import * as examples from './health.examples'

const HealthOk = z.object({ status: z.literal('ok') }).openapi('HealthOk')

const healthCheck = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  tags: ['health'],
  summary: 'Health',
  description:
    'Answers 200 only when the configuration is valid (secrets, settings, every binding, and the EVENTS queue and WEBHOOK_SECRET when WEBHOOK_URL is set), D1 answers with its tables (`users`, `email_quota`, `identities`) present, and KV answers: one D1 read and one KV read, concurrently, no write. Otherwise 503 `{ status: 503, message: "Unavailable: <what failed>", code: "HEALTH_CHECK_FAILED" }`, naming `configuration`, `D1`, `D1 (<table> table missing)` (the migrations were not applied) and/or `KV`, never a value; the log says why.',
  responses: {
    200: json(HealthOk, 'The configuration is valid; D1 (with its tables) and KV answered.', examples.health.ok),
    ...serverErrors,
    ...errorResponses({ 503: json(ErrorSchema, 'A dependency failed: the message names it.', examples.health.down) }),
  },
})

/** Never present: reading it proves KV answers, and costs one read. */
const PROBE_KEY = 'health:probe'

/** One query that reads every table the routes use: it fails on a database that lacks one (migrations not applied). */
const D1_PROBE = 'SELECT (SELECT 1 FROM users LIMIT 1) AS u, (SELECT 1 FROM email_quota LIMIT 1) AS q, (SELECT 1 FROM identities LIMIT 1) AS i'

async function checkD1(db: D1Database): Promise<string | undefined> {
  try {
    await db.prepare(D1_PROBE).first()
  } catch (e) {
    console.error('Health check: D1 failed', e)
    const table = /no such table: (\w+)/i.exec(e instanceof Error ? e.message : String(e))?.[1]
    return table ? `D1 (${table} table missing)` : 'D1'
  }
}

async function checkKv(kv: KVNamespace): Promise<string | undefined> {
  try {
    await kv.get(PROBE_KEY)
  } catch (e) {
    console.error('Health check: KV failed', e)
    return 'KV'
  }
}

/**
 * Readiness that tells the truth: 200 only when the Worker could serve a request. The checks run
 * concurrently, so it costs one round trip of the slower of D1 and KV.
 */
export const healthRouter = createRouter().openapi(healthCheck, async (c) => {
  const problem = [configProblem(c.env), accountConfigProblem(c.env), oidcConfigProblem(c.env), eventsConfigProblem(c.env)].filter(Boolean).join('; ')
  if (problem) {
    console.error(`Health check: invalid configuration: ${problem}`)
    throw new ApiError('HEALTH_CHECK_FAILED', { message: 'Unavailable: configuration' })
  }
  const failing = (await Promise.all([checkD1(c.env.DB), checkKv(c.env.BLACKLIST)])).filter(Boolean)
  if (failing.length) throw new ApiError('HEALTH_CHECK_FAILED', { message: `Unavailable: ${failing.join(', ')}` })
  return c.json({ status: 'ok' as const }, 200)
})
