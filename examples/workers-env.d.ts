// The API's source names a few things that only exist in the Workers runtime and its bundler. A
// browser project that imports the typed client needs none of them: here they are opaque, so the
// project keeps its DOM types and does not install Workers types (they clash with the DOM's).
interface Env {
  [binding: string]: any
}
type D1Database = any
type KVNamespace = any
type RateLimit = any
declare const HTMLRewriter: any
declare module '*.txt' {
  const text: string
  export default text
}
