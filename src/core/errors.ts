import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type * as z from 'zod'
import { type ErrorCode, ERRORS } from './error-codes'
import type { ErrorSchema, FieldError } from './schemas'

export type ErrorBody = z.output<typeof ErrorSchema> & { errors?: FieldError[] } & Record<string, unknown>

/** `fields`: keys an error adds beside status, message and code (the sign-up hint of OIDC_USER_NOT_FOUND). */
type Options = { message?: string; errors?: FieldError[]; headers?: Record<string, string>; fields?: Record<string, unknown> }

/**
 * The one error type handlers throw: a code of the ERRORS table, which gives its status and message
 * (a message of its own where it names more, e.g. what a health check found). `onError` renders it
 * as `{ status, message, code, errors? }`.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>
  readonly fields?: Record<string, unknown>

  constructor(
    readonly code: ErrorCode,
    { message, errors, headers, fields }: Options = {},
  ) {
    super(message ?? ERRORS[code].message)
    this.name = 'ApiError'
    this.status = ERRORS[code].status
    this.errors = errors
    this.headers = headers
    this.fields = fields
  }

  /** A 400 in the validation shape for a rule that needs configuration (e.g. the blocklist). */
  static field(path: string, msg: string) {
    return new ApiError('VALIDATION_FAILED', { errors: [{ msg, param: path, path, location: 'body' }] })
  }

  /** One entry per failing field (the first issue wins), named by its canonical dotted path. */
  static validation(error: z.core.$ZodError) {
    const errors = new Map<string, FieldError>()
    for (const issue of fieldIssues(error.issues)) {
      const path = issue.path.join('.')
      if (path === '') return new ApiError('BODY_NOT_OBJECT')
      if (!errors.has(path)) errors.set(path, { msg: issue.message, param: path, path, location: 'body' })
    }
    return new ApiError('VALIDATION_FAILED', { errors: [...errors.values()] })
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

/** The standard error response: `{ status, message, code, errors? }`, with the error's headers. */
export function errorResponse(c: Context, err: ApiError) {
  const body: ErrorBody = { status: err.status, message: err.message, code: err.code, ...err.fields }
  if (err.errors) body.errors = err.errors
  return c.json(body, err.status, err.headers)
}

export const onError: ErrorHandler = (err, c) => {
  // A D1 query that failed (and was not mapped, like a UNIQUE violation): nothing was written.
  if (err instanceof DrizzleQueryError) {
    console.error('D1 query failed', c.req.method, c.req.path, `request ${c.get('requestId')}`, ...queryFailure(err))
    err = new ApiError('DATABASE_UNAVAILABLE')
  }
  if (err instanceof ApiError) return errorResponse(c, err)
  // Hono's own 4xx keep their status and message.
  if (err instanceof HTTPException && err.status < 500) {
    const body: ErrorBody = { status: err.status, message: err.message, code: 'BAD_REQUEST' }
    return c.json(body, err.status)
  }
  console.error('Unhandled error', c.req.method, c.req.path, `request ${c.get('requestId')}`, err)
  return errorResponse(c, new ApiError('INTERNAL_ERROR'))
}

export const notFound: NotFoundHandler = (c) => errorResponse(c, new ApiError('NOT_FOUND'))
