// wrangler (and vitest-pool-workers) import *.txt files as text modules.
declare module '*.txt' {
  const text: string
  export default text
}
