// The direction of src/ imports: entry points -> compat -> features -> web layer -> services ->
// types.ts -> data and settings -> core. A feature never imports another feature, and no shared
// layer imports a feature. Type-only imports count: a type that points up ties the layers as well.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { it } from 'node:test'

const src = path.resolve(import.meta.dirname, '..', '..', 'src')

const FEATURES = ['users', 'account', 'oidc', 'health', 'keys']
const SHARED = ['docs', 'http', 'security', 'observability', 'auth', 'mail', 'events', 'types.ts', 'db', 'config', 'core']

/**
 * What each part of src/ may import besides itself: a folder, or a file at the root. Listed top
 * down; a new folder gets a row here (the test fails until it has one).
 */
export const RULES = {
  // Entry points: the Worker, the root app, the typed client.
  'index.ts': ['app.ts', 'events', 'types.ts'],
  'app.ts': ['compat', ...FEATURES, ...SHARED],
  'client.ts': ['app.ts', 'http'],
  // Presentation at the edge: renders the features' answers, so it may know their routes.
  compat: [...FEATURES, 'docs', 'http', 'types.ts', 'config', 'core'],
  // Features: routes, their schemas, services and examples. Never each other.
  users: SHARED,
  account: SHARED,
  oidc: SHARED,
  health: SHARED,
  keys: SHARED,
  // The web layer every feature uses: routing, body and method rules, CORS and limits, the log, the document.
  docs: ['http', 'types.ts', 'core'],
  http: ['types.ts', 'config', 'core'],
  security: ['http', 'auth', 'types.ts', 'config', 'core'],
  observability: ['http', 'types.ts', 'config'],
  // Services: tokens, passwords and the session; the mail; the user events (queued, then POSTed by the consumer).
  auth: ['types.ts', 'db', 'config', 'core'],
  mail: ['auth', 'types.ts', 'db', 'config', 'core'],
  events: ['types.ts', 'db', 'config', 'core'],
  // The Hono types (AppEnv, Bindings).
  'types.ts': ['db', 'config'],
  // Data and settings.
  db: ['core'],
  config: ['core'],
  // Errors, their codes, the shared wire shapes and field rules.
  core: [],
  // How wrangler bundles modules (the zod alias, *.txt): imports nothing of the app.
  bundle: [],
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) yield* sourceFiles(file)
    // .mjs: the rules the Node scripts share with the Worker (core/rules.mjs) are part of src/ too.
    else if (/\.(ts|mjs)$/.test(name)) yield file
  }
}

/** The part of src/ a file belongs to: its top folder, or the file itself at the root. */
const partOf = (file) => path.relative(src, file).split(path.sep)[0]

const IMPORT = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** The files of src/ that `file` imports (relative specifiers that resolve inside src/). */
function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const found = []
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]
    if (!spec.startsWith('.')) continue
    const base = path.resolve(path.dirname(file), spec)
    const target = [base, `${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f) && statSync(f).isFile())
    // bundle/zod.ts imports itself on purpose (zod's own `export { z }` shape): not a circle.
    if (target?.startsWith(src + path.sep) && target !== file) found.push({ spec, target })
  }
  return found
}

const files = [...sourceFiles(src)]
const graph = new Map(files.map((file) => [file, importsOf(file)]))
const rel = (file) => path.relative(src, file)

it('every part of src/ has a row in the rules', () => {
  const missing = [...new Set(files.map(partOf))].filter((part) => !Object.hasOwn(RULES, part))
  assert.deepEqual(missing, [], `give ${missing.join(', ')} a row in RULES (test/scripts/layering.test.mjs)`)
})

it('every import points down the layers, and no feature imports another', () => {
  const wrong = []
  for (const [file, imports] of graph) {
    const from = partOf(file)
    for (const { spec, target } of imports) {
      const to = partOf(target)
      if (to !== from && !RULES[from]?.includes(to)) wrong.push(`src/${rel(file)} imports '${spec}' (${to}): ${from} may import ${RULES[from]?.join(', ') || 'nothing'}`)
    }
  }
  assert.deepEqual(wrong, [])
})

it('the rules themselves have no circle, so no two folders can depend on each other', () => {
  const state = new Map()
  const visit = (part, trail) => {
    if (state.get(part) === 'done') return
    assert.notEqual(state.get(part), 'open', `circle in RULES: ${[...trail, part].join(' -> ')}`)
    state.set(part, 'open')
    for (const next of RULES[part]) visit(next, [...trail, part])
    state.set(part, 'done')
  }
  for (const part of Object.keys(RULES)) visit(part, [])
})

it('no module imports itself back through others', () => {
  const state = new Map()
  const visit = (file, trail) => {
    if (state.get(file) === 'done') return
    assert.notEqual(state.get(file), 'open', `import circle: ${[...trail, file].map(rel).join(' -> ')}`)
    state.set(file, 'open')
    for (const { target } of graph.get(file)) visit(target, [...trail, file])
    state.set(file, 'done')
  }
  for (const file of files) visit(file, [])
})
