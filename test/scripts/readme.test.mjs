// What the README and the docs state about the code stays true: the typed-client example is the
// file that is type-checked, the README stays an entry point, each moved fact is stated once, the
// curl examples end their output with a newline and read the mail of the server you started, and no
// page carries development history (that is what git log is for).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { it } from 'node:test'

const root = path.resolve(import.meta.dirname, '..', '..')
const read = (file) => readFileSync(path.join(root, file), 'utf8')
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
const shBlocks = (text) => [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1])

it('docs/api.md shows examples/typed-client.ts exactly as the file that is type-checked', () => {
  const example = read('examples/typed-client.ts')
  assert.ok(read('docs/api.md').includes('```ts\n' + example + '```\n'), 'docs/api.md must contain examples/typed-client.ts verbatim in a ts block')
})

it('examples/tsconfig.json is a browser project: DOM types, no Workers types', () => {
  const tsconfig = JSON.parse(read('examples/tsconfig.json').replace(/^\s*\/\/.*$/gm, ''))
  assert.ok(tsconfig.compilerOptions.lib.includes('DOM'))
  assert.deepEqual(tsconfig.compilerOptions.types, [])
})

it('README is an entry point: under 250 lines, with the two commands, the task table and the endpoint table', () => {
  const readme = read('README.md')
  assert.ok(readme.split('\n').length < 250, `README.md has ${readme.split('\n').length} lines`)
  assert.match(readme, /^```sh\nnpm install\nnpm run dev\b/m)
  assert.match(readme, /green test run \([^)]*\b\d+ (min|s)\b[^)]*2-core machine[^)]*\):\n\n```sh\nnpm test\n```$/m, 'the README states how long npm test takes')
  assert.match(readme, /^## I want to…$/m)
  assert.match(readme, /^## Endpoints$/m)
})

it('no page carries development history: issue numbers, commit ids, dates of work', () => {
  for (const file of DOCS) {
    const text = read(file)
    for (const [pattern, what] of [
      [/\bissues? \d+/i, 'an issue number'],
      [/\bcommit [0-9a-f]{7,40}\b/i, 'a commit id'],
      [/\b20\d\d-\d\d-\d\d(?!T00:00:00)(?![\d:T.Z]*")/, 'a date'],
      [/\b(first|second|third) pass\b/i, 'a pass of work'],
    ]) {
      const m = pattern.exec(text)
      assert.ok(!m, `${file} has ${what}: …${m && text.slice(Math.max(0, m.index - 60), m.index + 60)}…`)
    }
  }
})

it('each moved fact is stated in one place: the import commands, the export warning, the plan, the localhost cookie caveat', () => {
  const once = (pattern, where) => {
    const found = DOCS.filter((file) => pattern.test(read(file)))
    assert.deepEqual(found, [where], `${pattern} should be stated in ${where} only`)
  }
  once(/^mongoexport --uri/m, 'docs/migrating.md')
  once(/Keep the export out of the repository/, 'docs/migrating.md')
  once(/Workers Free allows 10 ms per request/, 'docs/deploy.md')
  once(/`localhost` and `127\.0\.0\.1` are different sites/, 'docs/frontend.md')
  once(/10 per 60 s, shared by register, login, change password and account deletion/, 'docs/security.md')
})

it('every curl of the examples ends its output with a newline', () => {
  for (const file of DOCS) {
    for (const block of shBlocks(read(file))) {
      for (const line of block.split('\n').filter((l) => /^curl\s/.test(l))) {
        assert.match(line, / -w '\\n' /, `${file}: ${line}`)
      }
    }
  }
})

it('the documented last_email reads the output of the server you started, not every wrangler instance\'s files', () => {
  const api = read('docs/api.md')
  assert.match(api, /^npm run dev 2>&1 \| tee dev\.log$/m)
  const helper = /^last_email\(\) \{ (.*) \}$/m.exec(api)
  assert.ok(helper, 'docs/api.md defines last_email')
  assert.match(helper[1], /"\$DEV_LOG"/)
  assert.doesNotMatch(helper[1], /miniflare-\*|TMPDIR|\/tmp/)
})
