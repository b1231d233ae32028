// `node scripts/wrangler.mjs <wrangler arguments>`: the project's wrangler in the quiet environment of
// scripts/lib/wrangler-run.mjs, for the package.json scripts that call wrangler directly (a variable
// prefix there would be a second definition of that environment, and no Windows shell reads it).
import { runWrangler } from './lib/wrangler-run.mjs'

process.exitCode = await runWrangler(process.argv.slice(2))
