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
  // One retry before the dead-letter queue (30 in wrangler.toml): the test that watches a message
  // reach it then waits one backoff (5 s), not a day.
  for (const consumer of config.queues?.consumers ?? []) consumer.max_retries = 1
  const dir = path.join(root, '.wrangler', 'vitest')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'wrangler.json')
  writeFileSync(file, JSON.stringify(config, null, 2))
  return file
}

/** The storage bindings of wrangler.toml, which test/support/setup.ts empties before each test file. */
function storageBindings() {
  const config = readConfig(path.join(root, 'wrangler.toml'))
  return {
    d1: (config.d1_databases ?? []).map((d: { binding: string }) => d.binding),
    kv: (config.kv_namespaces ?? []).map((k: { binding: string }) => k.binding),
  }
}

/** The user-event queue of the top-level config and its dead-letter queue. */
function eventQueues() {
  const [consumer] = readConfig(path.join(root, 'wrangler.toml')).queues.consumers
  return { queue: consumer.queue as string, deadLetterQueue: consumer.dead_letter_queue as string }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Lines the tools print on a green run that say nothing about the tests, each matched whole (colour
 * codes aside), and dropped; nothing else is. None of them can be turned off where it is printed:
 * - workerd, when vitest-pool-workers closes a test file's runner, once per file (the pool, 0.15.1,
 *   drops its sibling "WebSocket was aborted" but not this one, and has no hook for it);
 * - miniflare, when a message moves to the dead-letter queue: the pool logs miniflare at WARN, with no
 *   option. Two tests send such a message on purpose, wait for it there and check it (the
 *   dead-letter test of test/events/delivery.test.ts and the real-queue test of user-events.test.ts);
 * - vite, about the source map the standardwebhooks package publishes without its sources (the
 *   delivery tests verify signatures with it).
 */
function dropToolNoise() {
  const { queue, deadLetterQueue } = eventQueues()
  const noise = [
    /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/,
    new RegExp(`^\\[mf:warn\\] Moving message "[0-9a-f]+" on queue "${escape(queue)}" to dead letter queue "${escape(deadLetterQueue)}" after \\d+ failed attempts\\.\\.\\.\n$`),
    new RegExp(`^Sourcemap for "${escape(root)}/node_modules/standardwebhooks/dist/index\\.js" points to missing source files\n$`),
  ]
  const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '')
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      typeof chunk === 'string' && noise.some((line) => line.test(plain(chunk))) ? true : write(chunk, ...rest)) as typeof stream.write
  }
}

export default defineConfig(async () => {
  dropToolNoise()
  const migrations = await readD1Migrations(path.join(root, 'migrations'))
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: testWranglerConfig() },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_STORAGE: storageBindings(),
            // Test-only values: a fixed secret and bcrypt cost 4 (production default is 10).
            JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
            BCRYPT_COST: '4',
            ENVIRONMENT: 'test',
            CORS_ORIGINS: 'https://app.example.test, https://admin.example.test',
            // Google on, with the client id of the documented examples (src/docs/examples.ts): its
            // routes exist. The sign-in tests point `google` or another name at the local provider.
            GOOGLE_CLIENT_ID: '1234567890-example.apps.googleusercontent.com',
            // The tests call the Worker at https://api.example.test (test/support/request.ts BASE), not a
            // local host: with an empty APP_URL it would build no link there (see src/mail/link-mail.ts).
            APP_URL: 'https://api.example.test/',
          },
          // Reads the user events' dead-letter queue for the tests (nothing reads it in production:
          // it keeps what was never delivered): each message is POSTed to `<its URL>/dead-letter`,
          // the webhook receiver of test/support/webhook-receiver.setup.mjs.
          workers: [
            {
              name: 'dead-letter-reader',
              modules: true,
              compatibilityDate: '2026-04-20',
              script: `export default {
                async queue(batch) {
                  for (const m of batch.messages) {
                    await fetch(m.body.url + '/dead-letter', { method: 'POST', body: JSON.stringify(m.body) })
                    m.ack()
                  }
                },
              }`,
              queueConsumers: { [eventQueues().deadLetterQueue]: { maxBatchTimeout: 1 } },
            },
          ],
        },
      }),
    ],
    test: {
      setupFiles: ['./test/support/setup.ts'],
      // One workerd runtime runs every test file in turn instead of one runtime per file (its start-up
      // was most of the run). test/support/setup.ts empties D1 and KV before each file, so a file
      // still starts from empty storage.
      isolate: false,
      // Most tests take well under a second; on a busy shared machine a few took over vitest's default
      // 5 s and failed for it. The fuzz properties set their own, longer timeouts.
      testTimeout: 15_000,
      // Node servers on 127.0.0.1 started before the pool (no test reaches the network): the local OpenID
      // provider (test/fixtures/oidc-provider.mjs) and the webhook receiver of the user-event tests.
      globalSetup: ['./test/support/oidc-provider.setup.ts', './test/support/webhook-receiver.setup.mjs'],
      include: ['test/**/*.test.ts'],
      // Every request writes one JSON log line (src/observability/): the tests that check it spy on
      // console.log; printed, these lines would bury the report.
      onConsoleLog: (log: string) => !log.startsWith('{"type":"request"'),
    },
  }
})
