// `npm run dev [-- <wrangler dev options>]`: the local server, without a question asked.
//  1. Stops at once if the port is taken (another `npm run dev`?), instead of wrangler moving to
//     another port quietly.
//  2. Creates .dev.vars on a fresh clone (scripts/ensure-dev-vars.mjs).
//  3. Applies the D1 migrations to the local database: with no terminal on its input, wrangler
//     proceeds instead of asking "apply N migrations? (Y/n)"; the question it prints anyway is dropped.
//  4. Starts `wrangler dev` with your options (--port, --ip, --persist-to, --env, --var, ...).
import { spawn, spawnSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { parseArgs, stripVTControlCharacters } from 'node:util'
import { readConfig } from './lib/wrangler-config.mjs'
import { root, wranglerBin, wranglerEnv } from './lib/wrangler-run.mjs'

const args = process.argv.slice(2)
// The options this script reads itself. Every argument still goes to `wrangler dev` as typed, so
// the others are not refused here (strict: false): they are wrangler's.
const { values: option } = parseArgs({
  args,
  strict: false,
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    ip: { type: 'string' },
    config: { type: 'string', short: 'c' },
    env: { type: 'string', short: 'e' },
    'persist-to': { type: 'string' },
  },
})

/**
 * wrangler's migration report without its confirmation question and the answer it takes on its own
 * when its input is not a terminal: nothing is asked, so nothing that looks like a question is shown.
 */
function withoutPrompt(output) {
  const prompt = [
    /^\? About to apply \d+ migration\(s\)$/,
    /^Your database may not be available to serve requests during the migration, continue\?$/,
    /Using fallback value in non-interactive context/,
  ]
  const lines = output.split('\n')
  return lines.filter((line) => !prompt.some((p) => p.test(stripVTControlCharacters(line).trim()))).join('\n')
}

/** True when nothing listens on host:port. `localhost` is checked on both loopback addresses. */
async function isFree(port, host) {
  const hosts = host === 'localhost' ? ['127.0.0.1', '::1'] : [host]
  for (const h of hosts) {
    const free = await new Promise((resolve) => {
      const server = net.createServer()
      server.once('error', (e) => resolve(e.code !== 'EADDRINUSE'))
      server.listen({ port, host: h, exclusive: true }, () => server.close(() => resolve(true)))
    })
    if (!free) return false
  }
  return true
}

const configPath = path.resolve(option.config ?? path.join(root, 'wrangler.toml'))
const config = readConfig(configPath)
const envName = option.env
const section = envName ? config.env?.[envName] ?? {} : config
const port = Number(option.port ?? config.dev?.port ?? 8787)
const ip = option.ip ?? config.dev?.ip ?? 'localhost'

if (!(await isFree(port, ip))) {
  console.error(
    `Port ${port} on ${ip} is already in use: is another \`npm run dev\` running? ` +
      `Stop it, or start this one on another port: npm run dev -- --port ${port + 1}`,
  )
  process.exit(1)
}

await import('./ensure-dev-vars.mjs')

const env = wranglerEnv()
const shared = ['--config', configPath, ...(envName ? ['--env', envName] : [])]
const persistTo = option['persist-to']
for (const db of section.d1_databases ?? []) {
  const migrate = spawnSync(
    wranglerBin(),
    ['d1', 'migrations', 'apply', db.binding, '--local', ...shared, ...(persistTo ? ['--persist-to', persistTo] : [])],
    { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  process.stdout.write(withoutPrompt(migrate.stdout ?? ''))
  if (migrate.status !== 0) process.exit(migrate.status ?? 1)
}

const child = spawn(wranglerBin(), ['dev', ...(option.port ? [] : ['--port', String(port)]), ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
})
// Ctrl-C reaches wrangler too (same process group): wait for it to stop, then exit with its code.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => child.kill('SIGTERM'))
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
