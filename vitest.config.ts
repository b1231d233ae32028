/// <reference types="node" />
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { readConfig, withAbsolutePaths } from './scripts/lib/wrangler-config.mjs'

const root = import.meta.dirname

/**
 * wrangler.toml, copied for the tests into a folder of its own. Wrangler loads `.dev.vars` (or,
 * without it, `.env`) from the folder of the config file it is given, and vitest-pool-workers has no
 * option to turn that off: pointed at ./wrangler.toml, the tests would run with whatever the
 * developer put in ./.dev.vars. In .wrangler/vitest/ there is no such file; the values the tests
 * need are the bindings below. The top-level config, unchanged but for its paths, made absolute.
 */
function testWranglerConfig() {
  const { env: _environments, ...config } = withAbsolutePaths(readConfig(path.join(root, 'wrangler.toml')), root)
  const dir = path.join(root, '.wrangler', 'vitest')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'wrangler.json')
  writeFileSync(file, JSON.stringify(config, null, 2))
  return file
}

/**
 * workerd prints this line when vitest-pool-workers closes a test file's runner, once per file; the
 * pool (0.15.1) drops its sibling "WebSocket was aborted" but not this one, and has no hook for it.
 * It says nothing about the tests: this exact line is dropped, nothing else.
 */
function dropTeardownNoise() {
  const noise = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      typeof chunk === 'string' && noise.test(chunk) ? true : write(chunk, ...rest)) as typeof stream.write
  }
}

export default defineConfig(async () => {
  dropTeardownNoise()
  const migrations = await readD1Migrations(path.join(root, 'migrations'))
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: testWranglerConfig() },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Test-only values: a fixed secret and bcrypt cost 4 (production default is 10).
            JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
            BCRYPT_COST: '4',
            ENVIRONMENT: 'test',
            CORS_ORIGINS: 'https://app.example.test, https://admin.example.test',
            // The tests call the Worker at https://api.example.test (test/helpers.ts BASE), not a
            // local host: with an empty APP_URL it would build no link there (see src/mail/link-mail.ts).
            APP_URL: 'https://api.example.test/',
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup.ts'],
      include: ['test/**/*.test.ts'],
      // Every request writes one JSON log line (src/observability/): the tests that check it spy on
      // console.log; printed, these lines would bury the report.
      onConsoleLog: (log: string) => !log.startsWith('{"type":"request"'),
    },
  }
})
