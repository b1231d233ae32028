import { expect } from 'vitest'
import { COOKIE_NAME } from '../../src/auth/cookie'
import { call, callWith, type Json, jsonInit } from './request'

/** A dialect is chosen by a `/compat/<name>` prefix, or for the unprefixed routes by the DIALECT var. */
export const MODES = ['prefix', 'DIALECT'] as const
export type Mode = (typeof MODES)[number]

export type Answer = { status: number; body: Json; headers: Headers }

/** A client of one dialect: `(method, path, body?, headers?)`, path as the old backend had it. */
export function clientOf(name: string, mode: Mode) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    // Without a body, no Content-Type either: as the old front ends sent their GETs and logouts.
    const init = body === undefined ? { method, headers } : jsonInit(method, body, headers)
    const res = mode === 'prefix' ? await call(`/compat/${name}${path}`, init) : await callWith({ DIALECT: name }, path, init)
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers }
  }
}

/** The session cookie a response sets (every dialect keeps Set-Cookie as it is). */
export const cookieToken = (a: Answer) => new RegExp(`^${COOKIE_NAME}=([^;]*)`).exec(a.headers.get('Set-Cookie') ?? '')?.[1]

// The documents' dynamic values (ids, tokens, dates), matched by their form.
export const ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
export const JWT = expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/)
export const DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)

/**
 * The documents' example emails, made unique per test: each a mailbox of its own (a `+tag` would
 * share the example's mailbox, and its hourly email cap, with every other test).
 */
export const emailLike = (example: string) => example.replace('@', `-${crypto.randomUUID()}@`)
