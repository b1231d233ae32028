// `npm run provision -- <environment>` (or `--env <environment>`): creates the environment's D1
// database and KV namespace in your Cloudflare account (or finds them, if they exist already) and
// writes their ids into wrangler.toml's [env.<environment>] in place of the placeholders. Commit the
// change: the ids are not secrets, and every later deploy (yours, a teammate's, CI's) uses them.
// It also creates the environment's queues (the user events and their dead-letter queue), which
// wrangler.toml names: there is no id to write for them.
// Needs `wrangler login` or CLOUDFLARE_API_TOKEN (+ CLOUDFLARE_ACCOUNT_ID).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ENV_OPTION, commandLine, environmentOf } from './lib/command-line.mjs'
import { isPlaceholder, kvTitle, queueNames, withIdInToml } from './lib/deploy-config.mjs'
import { readConfig } from './lib/wrangler-config.mjs'
import { jsonArrayIn, root, wranglerOutput, wranglerSucceeds } from './lib/wrangler-run.mjs'

const cli = commandLine({ ...ENV_OPTION, config: { type: 'string', short: 'c' } })
const { env, error } = environmentOf(cli)
const file = path.resolve(cli.values?.config ?? path.join(root, 'wrangler.toml'))
const config = readConfig(file)
const envs = Object.keys(config.env ?? {})
if (error || !envs.includes(env)) {
  if (error) console.error(error)
  console.error(`usage: npm run provision -- <environment>   (${envs.join(' or ')}), or npm run provision -- --env <environment>`)
  process.exit(1)
}

/** Runs wrangler on this config and returns its stdout; stops the script when it fails. */
const wrangler = (args) => wranglerOutput([...args, '--config', file])

let text = readFileSync(file, 'utf8')
let changed = 0
for (const db of config.env[env].d1_databases ?? []) {
  if (!isPlaceholder(db.database_id)) {
    console.log(`D1 ${db.binding}: ${db.database_name} already set (${db.database_id})`)
    continue
  }
  const find = () => jsonArrayIn(wrangler(['d1', 'list', '--json'])).find((d) => d.name === db.database_name)
  let found = find()
  const verb = found ? 'found' : 'created'
  if (!found) {
    wrangler(['d1', 'create', db.database_name])
    found = find()
  }
  text = withIdInToml(text, { env, table: 'd1_databases', binding: db.binding, key: 'database_id', id: found.uuid })
  changed++
  console.log(`D1 ${db.binding}: ${db.database_name} ${verb} (${found.uuid})`)
}
for (const kv of config.env[env].kv_namespaces ?? []) {
  if (!isPlaceholder(kv.id)) {
    console.log(`KV ${kv.binding}: already set (${kv.id})`)
    continue
  }
  const title = kvTitle(config, env, kv.binding)
  const find = () => jsonArrayIn(wrangler(['kv', 'namespace', 'list'])).find((n) => n.title === title)
  let found = find()
  const verb = found ? 'found' : 'created'
  if (!found) {
    wrangler(['kv', 'namespace', 'create', title])
    found = find()
  }
  text = withIdInToml(text, { env, table: 'kv_namespaces', binding: kv.binding, key: 'id', id: found.id })
  changed++
  console.log(`KV ${kv.binding}: ${title} ${verb} (${found.id})`)
}
if (changed) writeFileSync(file, text)
// Queues are named, not numbered: each one is found (`queues info` succeeds) or created. A dead-letter
// queue keeps its messages 14 days (the most Queues allows), the time to notice and replay them.
const deadLetter = new Set((config.env[env].queues?.consumers ?? []).map((c) => c.dead_letter_queue))
for (const name of queueNames(config.env[env])) {
  if (wranglerSucceeds(['queues', 'info', name, '--config', file])) {
    console.log(`Queue ${name}: found`)
    continue
  }
  wrangler(['queues', 'create', name, ...(deadLetter.has(name) ? ['--message-retention-period-secs', '1209600'] : [])])
  console.log(`Queue ${name}: created`)
}
console.log(
  changed
    ? `${changed} id(s) written to wrangler.toml [env.${env}]: commit it. Next: npx wrangler secret put JWT_SECRET --env ${env}`
    : `Nothing to do: [env.${env}] has real ids.`,
)
