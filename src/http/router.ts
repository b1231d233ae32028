import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../types'
import { defaultHook } from './validate'

/**
 * Every router starts here: its `.openapi(route, handler)` routes validate through the one hook, and
 * their declarations are merged into the app's OpenAPI document when the router is mounted. Only the
 * root app passes `getPath` (src/compat/: the /compat/<dialect> prefix is stripped before routing).
 */
export const createRouter = (options: { getPath?: (request: Request) => string } = {}) =>
  new OpenAPIHono<AppEnv>({ ...options, defaultHook })
