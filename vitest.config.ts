/// <reference types="node" />
import path from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'))
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Test-only values: a fixed secret and bcrypt cost 4 (production default is 10).
            JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
            BCRYPT_COST: '4',
            ENVIRONMENT: 'test',
            CORS_ORIGINS: 'https://app.example.test, https://admin.example.test',
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup.ts'],
      include: ['test/**/*.test.ts'],
    },
  }
})
