import type { ErrorHandler, NotFoundHandler } from 'hono'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type * as z from 'zod'
import type { FieldError } from './schemas'


export type ErrorBody = { status: number; message: string; errors?: FieldError[] }

/** The one error type handlers throw; `onError` renders it as `{ status, message, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  static unauthorized() {
    return new ApiError(401, 'Unauthorized')
  }

  static invalidCredentials() {
    return new ApiError(401, 'Invalid email or password')
  }

  static unavailable() {
    return new ApiError(503, 'Service temporarily unavailable')
  }

  static databaseUnavailable() {
    return new ApiError(503, 'Database unavailable')
  }

  /** A 400 in the validation shape for a rule that needs configuration (e.g. the blocklist). */
  static field(path: string, msg: string) {
    return new ApiError(400, 'Validation failed', [{ msg, param: path, path, location: 'body' }])
  }

  /** One entry per failing field (the first issue wins), named by its canonical dotted path. */
  static validation(error: z.core.$ZodError) {
    const errors = new Map<string, FieldError>()
    for (const issue of fieldIssues(error.issues)) {
      const path = issue.path.join('.')
      if (path === '') return new ApiError(400, 'Request body must be a JSON object')
      if (!errors.has(path)) errors.set(path, { msg: issue.message, param: path, path, location: 'body' })
    }
    return new ApiError(400, 'Validation failed', [...errors.values()])
  }
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] }

/**
 * A union (e.g. the name as string or object) that fails reports its own message unless one
 * branch matched the input's type: then that branch's field errors are the useful ones.
 */
function* fieldIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): Generator<Issue> {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path]
    const matched = issue.code === 'invalid_union'
      ? issue.errors?.find((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0))
      : undefined
    if (matched) yield* fieldIssues(matched, path)
    else yield { ...issue, path }
  }
}

/**
 * What to log of a failed D1 query: its SQL and D1's own error, never the bound values (drizzle's
 * message lists them: password hashes, emails, names).
 */
export const queryFailure = (e: unknown): unknown[] => (e instanceof DrizzleQueryError ? [e.query, e.cause] : [e])

export const onError: ErrorHandler = (err, c) => {
  // A D1 query that failed (and was not mapped, like a UNIQUE violation): nothing was written.
  if (err instanceof DrizzleQueryError) {
    console.error('D1 query failed', c.req.method, c.req.path, `request ${c.get('requestId')}`, ...queryFailure(err))
    err = ApiError.databaseUnavailable()
  }
  if (err instanceof ApiError) {
    const body: ErrorBody = { status: err.status, message: err.message }
    if (err.errors) body.errors = err.errors
    return c.json(body, err.status, err.headers)
  }
  // Hono's own 4xx (e.g. malformed JSON from the validator) keep their status and message.
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ status: err.status, message: err.message }, err.status)
  }
  console.error('Unhandled error', c.req.method, c.req.path, `request ${c.get('requestId')}`, err)
  return c.json({ status: 500, message: 'Internal server error' }, 500)
}

export const notFound: NotFoundHandler = (c) => c.json({ status: 404, message: 'Not found' }, 404)
