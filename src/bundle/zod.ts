// Bundle-only stand-in for `zod` (see [alias] in wrangler.toml): zod's own entry minus `locales`.
// @hono/zod-openapi hands zod's whole namespace to extendZodWithOpenApi, so esbuild cannot drop
// the unused translations, most of the bundle, however zod is imported. Also left out, unused at
// run time: `z.core` (it re-exports the locales), the schema compiler, toJSONSchema and
// fromJSONSchema. Tests and types use the real entry.
import * as z from './zod'

export * from '../../node_modules/zod/v4/classic/schemas.js'
export * from '../../node_modules/zod/v4/classic/checks.js'
export * from '../../node_modules/zod/v4/classic/errors.js'
export * from '../../node_modules/zod/v4/classic/parse.js'
export * from '../../node_modules/zod/v4/classic/compat.js'
export {
  globalRegistry, registry, config, memoizer, $output, $input, $brand, clone, regexes, treeifyError, prettifyError,
  formatError, flattenError, TimePrecision, util, NEVER, INVALID, getDiscriminatedOption,
} from '../../node_modules/zod/v4/core/index.js'
export { input, output } from '../../node_modules/zod/v4/classic/in-out.js'
export { ZodISODateTime, ZodISODate, ZodISOTime, ZodISODuration } from '../../node_modules/zod/v4/classic/iso.js'
export * as iso from '../../node_modules/zod/v4/classic/iso.js'
export * as coerce from '../../node_modules/zod/v4/classic/coerce.js'
export { z, z as default }
