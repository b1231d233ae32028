// The README shows the typed-client example verbatim: the file that `npm test` type-checks
// (examples/typed-client.ts, with the browser tsconfig examples/tsconfig.json).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { it } from 'node:test'

const root = path.resolve(import.meta.dirname, '..', '..')
const read = (file) => readFileSync(path.join(root, file), 'utf8')

it('README shows examples/typed-client.ts exactly as the file that is type-checked', () => {
  const example = read('examples/typed-client.ts')
  assert.ok(read('README.md').includes('```ts\n' + example + '```\n'), 'README.md must contain examples/typed-client.ts verbatim in a ts block')
})

it('examples/tsconfig.json is a browser project: DOM types, no Workers types', () => {
  const tsconfig = JSON.parse(read('examples/tsconfig.json').replace(/^\s*\/\/.*$/gm, ''))
  assert.ok(tsconfig.compilerOptions.lib.includes('DOM'))
  assert.deepEqual(tsconfig.compilerOptions.types, [])
})
