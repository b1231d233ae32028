declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    /** The names of the D1 and KV bindings in wrangler.toml (see vitest.config.ts). */
    TEST_STORAGE: { d1: string[]; kv: string[] }
    JWT_SECRET: string
  }
}
