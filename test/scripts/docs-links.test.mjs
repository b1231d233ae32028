// Every relative link of README.md, CONTRIBUTING.md and docs/*.md reaches an existing file, and
// every #anchor an existing heading of its page, with the anchors GitHub makes from headings.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

const root = path.resolve(import.meta.dirname, '..', '..')
const PAGES = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]

/** The page without its fenced code blocks and code spans: neither holds a heading or a link. */
const prose = (text) => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, (span) => span.replace(/[[\]()#]/g, ' '))

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens (github-slugger). */
export function slug(heading) {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones (-1, -2, ...). */
export function anchors(text) {
  const seen = new Map()
  const out = new Set()
  const withoutFences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '')
  for (const m of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(m[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** The relative link targets of a page: [text](target) and ![alt](target), no URL with a scheme. */
function links(text) {
  return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
}

it('GitHub-style anchors: code, punctuation and case as GitHub writes them', () => {
  assert.equal(slug('Rotating JWT_SECRET'), 'rotating-jwt_secret')
  assert.equal(slug("2. Let the front end's origin in"), '2-let-the-front-ends-origin-in')
  assert.equal(slug('Sign in with Google (and any OpenID Connect provider)'), 'sign-in-with-google-and-any-openid-connect-provider')
  assert.equal(slug('I want to…'), 'i-want-to')
  assert.deepEqual([...anchors('# A\n```sh\n# not a heading\n```\n## A\n')], ['a', 'a-1'])
})

describe('every relative link and #anchor resolves', () => {
  for (const page of PAGES) {
    it(page, () => {
      const text = readFileSync(path.join(root, page), 'utf8')
      const found = links(text)
      const broken = []
      for (const target of found) {
        const [file, anchor] = target.split('#')
        const resolved = file ? path.resolve(path.dirname(path.join(root, page)), decodeURI(file)) : path.join(root, page)
        if (!resolved.startsWith(root) || !existsSync(resolved)) {
          broken.push(`${target}: no such file`)
          continue
        }
        if (anchor === undefined) continue
        if (!resolved.endsWith('.md') || statSync(resolved).isDirectory()) {
          broken.push(`${target}: an anchor into a file that is not a Markdown page`)
          continue
        }
        if (!anchors(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no heading with that anchor`)
      }
      assert.deepEqual(broken, [], `${page} has links that do not resolve`)
    })
  }
})
