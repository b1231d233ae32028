// Bundle-only stand-in for `zod` (see [alias] in wrangler.toml): the same modules as zod's own
// entry, minus `locales`. @hono/zod-openapi hands zod's whole namespace object to
// extendZodWithOpenApi, so esbuild cannot drop the unused error-message translations (364 KiB,
// ~60% of the bundle) however zod is imported elsewhere. Left out for the same reason, and unused
// at run time here: `z.core` (its namespace re-exports the locales too), the schema compiler,
// toJSONSchema and fromJSONSchema. Tests and types use the real entry.
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
