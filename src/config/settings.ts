import type * as z from 'zod'
import { ApiError } from '../core/errors'

/**
 * A settings reader built from a schema: `problem(env)` says what is wrong (every problem, for the
 * log; undefined when valid, never throws: for /health), `get(env)` returns the settings or fails
 * closed (500, the log naming the setting). Parsed once per isolate (per bindings object), not per request.
 */
export function settings<T>(schema: z.ZodType<T, any>) {
  const cache = new WeakMap<object, T | string>()
  const parsed = (env: Env): T | string => {
    let config = cache.get(env)
    if (config === undefined) {
      const result = schema.safeParse(env)
      config = result.success ? result.data : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      cache.set(env, config)
    }
    return config
  }
  return {
    problem(env: Env): string | undefined {
      const config = parsed(env)
      return typeof config === 'string' ? config : undefined
    },
    get(env: Env): T {
      const config = parsed(env)
      if (typeof config === 'string') {
        console.error(`Invalid configuration: ${config}`)
        throw new ApiError('INTERNAL_ERROR')
      }
      return config
    },
  }
}
