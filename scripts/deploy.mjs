// `npm run deploy -- <environment> [--dry-run] [--config <file>]`; `--env <environment>` names it too
//
// Deploys one environment of wrangler.toml ([env.staging], [env.production]): applies the D1
// migrations to its remote database, then `wrangler deploy --env <environment>`. Before anything
// touches the network it refuses the top-level (local development) config, an unknown environment,
// a binding the environment lacks and a placeholder id, naming the command that fixes each.
// --dry-run runs the same checks and `wrangler deploy --dry-run` (a build, offline), nothing more.
import path from 'node:path'
import { ENV_OPTION, commandLine, environmentOf } from './lib/command-line.mjs'
import { deployProblems } from './lib/deploy-config.mjs'
import { readConfig } from './lib/wrangler-config.mjs'
import { root, runWrangler } from './lib/wrangler-run.mjs'

const USAGE =
  'usage: npm run deploy -- <environment> [--dry-run]   (e.g. npm run deploy -- production, or npm run deploy -- --env production)'

function refuse(lines) {
  for (const line of [lines].flat()) console.error(line)
  process.exit(1)
}

const cli = commandLine({ ...ENV_OPTION, 'dry-run': { type: 'boolean' }, config: { type: 'string', short: 'c' } })
const named = environmentOf(cli)
if (named.error) refuse([named.error, USAGE])
const args = {
  env: named.env,
  dryRun: cli.values['dry-run'] ?? false,
  config: path.resolve(cli.values.config ?? path.join(root, 'wrangler.toml')),
}

const config = readConfig(args.config)
const envs = Object.keys(config.env ?? {})
if (!args.env) {
  refuse([
    `Name the environment to deploy: ${envs.map((e) => `npm run deploy -- ${e}`).join(' or ')}.`,
    'The top-level configuration is the local development one (placeholder ids): it is never deployed.',
  ])
}
if (!envs.includes(args.env)) {
  refuse(`No environment "${args.env}" in ${path.relative(root, args.config)}: it has ${envs.join(', ') || 'none'}.`)
}

const problems = deployProblems(config, args.env)
if (problems.length) {
  refuse([`Not deploying ${args.env}:`, ...problems.map((p) => `  - ${p}`)])
}

const configArgs = ['--config', args.config, '--env', args.env]
const assets = config.env[args.env].assets ?? config.assets
console.log(
  `${args.env}: checks passed (bindings, ids); pages: ${assets ? `assets from ${assets.directory}` : 'none (API only)'}`,
)

if (args.dryRun) {
  const outdir = path.join(root, 'dist', args.env)
  const code = await runWrangler(['deploy', '--dry-run', '--outdir', outdir, ...configArgs])
  if (code === 0) {
    console.log(
      `Dry run: nothing deployed. Without --dry-run: wrangler d1 migrations apply DB --remote --env ${args.env}, then wrangler deploy --env ${args.env}.`,
    )
  }
  process.exit(code)
}

// In a terminal wrangler asks before it changes the remote database; in CI (no TTY) it goes on.
for (const db of config.env[args.env].d1_databases ?? []) {
  const code = await runWrangler(['d1', 'migrations', 'apply', db.binding, '--remote', ...configArgs])
  if (code !== 0) refuse(`Migrations for ${db.binding} failed (exit ${code}): nothing was deployed.`)
}
process.exit(await runWrangler(['deploy', ...configArgs]))
