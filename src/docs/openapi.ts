import { OpenAPIHono } from '@hono/zod-openapi'
import type { Hono } from 'hono'
import { STANDARD_BASE } from '../http/prefixes'

export type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>
type Json = Record<string, any>

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

const info = {
  title: 'Users auth API',
  version: '0.1.0',
  description:
    'Register, log in and keep a session with an httpOnly cookie or a Bearer token. Every route under `/users` is also served under `/api/users`. Errors are always `{ status, message, code, errors? }`. A method a path does not serve answers 405 `{ status: 405, message: "Method not allowed", code: "METHOD_NOT_ALLOWED" }` with an `Allow` header listing the ones it does (components/responses/MethodNotAllowed; a plain `OPTIONS` gets 204 with `Allow`); an unknown path, 404.',
}
/**
 * The document's servers; Swagger UI's "Try it out" uses the first. The paths are documented as the
 * root serves them, so the root comes first when it speaks the documented (standard) contract, as
 * it does unless DIALECT names another dialect: then `/compat/standard`, where the documented shapes
 * are served whatever DIALECT says, comes first. Both are listed either way.
 */
export function serversFor(dialect: string | undefined) {
  const standard = { url: STANDARD_BASE, description: 'The standard contract under its own prefix, whatever DIALECT says' }
  if (dialect === undefined || dialect === '' || dialect === 'standard') {
    return [{ url: '/', description: 'This deployment' }, standard]
  }
  return [standard, { url: '/', description: `This deployment's unprefixed routes, in the ${dialect} dialect (DIALECT): other shapes than documented here` }]
}
const tags = [
  { name: 'users', description: 'The users API.' },
  { name: 'health' },
  { name: 'keys', description: 'The public keys other services verify the ES256 tokens with.' },
  { name: 'docs' },
]

const cache = new WeakMap<object, Document>()

/**
 * The OpenAPI 3.1 document of `app`, generated from the `createRoute` declarations of the routers
 * mounted on it, once per isolate. There is no other list of routes.
 */
export function openApiDocument(app: Hono<any, any, any>): Document {
  let doc = cache.get(app)
  if (!doc) {
    if (!(app instanceof OpenAPIHono)) throw new TypeError('openApiDocument needs an OpenAPIHono app')
    const generator = { unionPreferredType: 'oneOf', sortComponents: 'alphabetically' } as const
    doc = app.getOpenAPI31Document({ openapi: '3.1.0', info, servers: serversFor('standard'), tags }, generator)
    markAliases(doc)
    nameUnionBranches(doc)
    cache.set(app, doc)
  }
  return doc
}

const pascal = (path: string) =>
  path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join('')

/** The longest run of leading path segments all the paths share, e.g. `/api/users`. */
function sharedPrefix(paths: string[]) {
  const [first = [], ...rest] = paths.map((p) => p.split('/'))
  let n = first.length
  for (const segments of rest) while (n > 0 && segments.slice(0, n).join('/') !== first.slice(0, n).join('/')) n--
  return first.slice(0, n).join('/')
}

/**
 * A router mounted twice (users at `/users` and `/api/users`; health at `/`, `/users` and
 * `/api/users`) declares each operation once, so its operationId comes back under every prefix.
 * The first one registered is the original; each later one is marked as its alias: `x-alias-of`,
 * and a unique operationId (the original's, the extra prefix, `Alias`: `registerApiAlias`). The
 * aliases of a tag that all sit under one prefix get their own tag (`users (/api/users alias)`).
 */
function markAliases(doc: Document) {
  const originals = new Map<string, { key: string; path: string }>()
  const aliases: { op: Json; path: string }[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op?.operationId) continue
      const original = originals.get(op.operationId)
      if (!original) {
        originals.set(op.operationId, { key: `${method.toUpperCase()} ${path}`, path })
        continue
      }
      const extra = path.endsWith(original.path) ? path.slice(0, -original.path.length) : path
      op.operationId = `${op.operationId}${pascal(extra)}Alias`
      op.description = `Alias of ${original.key}: identical behaviour.`
      op['x-alias-of'] = original.key
      aliases.push({ op, path })
    }
  }
  const aliasTags = new Map<string, { name: string; description: string }>()
  for (const tag of new Set(aliases.flatMap(({ op }) => op.tags ?? []))) {
    const tagged = aliases.filter(({ op }) => op.tags?.includes(tag))
    const prefix = sharedPrefix(tagged.map(({ path }) => path.slice(0, path.lastIndexOf('/'))))
    if (!prefix) continue
    const name = `${tag} (${prefix} alias)`
    aliasTags.set(tag, { name, description: `The same routes under ${prefix}, for clients that use that prefix.` })
    for (const { op } of tagged) op.tags = op.tags.map((t: string) => (t === tag ? name : t))
  }
  doc.tags = (doc.tags ?? []).flatMap((tag) => [tag, ...(aliasTags.has(tag.name) ? [aliasTags.get(tag.name)!] : [])])
}

/**
 * Swagger UI labels a union by its branches' `type`s and titles, and a bare `$ref` branch has
 * neither until it is opened (`RegisterBody (any | any | any)`): each one gets its component's
 * title (or name) and type beside the `$ref`. Inline branches must carry a title themselves
 * (test/docs/openapi.test.ts checks that every branch is named).
 */
function nameUnionBranches(doc: Document) {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node !== 'object' || node === null) return
    const schema = node as Json
    for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
      if (!Array.isArray(schema[keyword])) continue
      schema[keyword] = schema[keyword].map((branch: Json) => {
        const name = typeof branch.$ref === 'string' ? branch.$ref.replace('#/components/schemas/', '') : undefined
        const target = name === undefined ? undefined : schemas[name]
        if (!target || branch.title) return branch
        return { ...branch, title: target.title ?? name, ...(target.type ? { type: target.type } : {}) }
      })
    }
    for (const [key, value] of Object.entries(schema)) if (key !== 'examples' && key !== 'example') visit(value)
  }
  visit(doc.components)
  visit(doc.paths)
}
