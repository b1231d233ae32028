// Copies Swagger UI's browser files from the swagger-ui-dist package into public/vendor/swagger-ui/,
// where Workers static assets serve them for /docs (no CDN). Runs on `npm install` / `npm ci`
// (postinstall), so the copy always matches the pinned package; the folder is ignored by git.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
let from
try {
  from = path.dirname(require.resolve('swagger-ui-dist/package.json'))
} catch {
  // An install without devDependencies: nothing to copy, and /docs will lack its scripts.
  console.warn('swagger-ui-dist is not installed: public/vendor/swagger-ui/ not refreshed')
  process.exit(0)
}
const to = path.join(import.meta.dirname, '..', 'public', 'vendor', 'swagger-ui')
const FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE']

rmSync(to, { recursive: true, force: true })
mkdirSync(to, { recursive: true })
for (const file of FILES) {
  // The source maps are not shipped: drop the comment that would make devtools ask for them.
  const text = readFileSync(path.join(from, file), 'utf8').replace(
    /\n\/[/*][#@] sourceMappingURL=\S+\s*(\*\/)?\s*$/,
    '\n',
  )
  writeFileSync(path.join(to, file), text)
}
const { version } = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'))
console.log(`swagger-ui-dist ${version} copied to public/vendor/swagger-ui/`)
