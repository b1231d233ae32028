// `npm run db:reset [-- --persist-to <dir>]`: deletes every row of the local D1 database (users and
// any other table; the schema and its migration history stay), so the docs' curl examples can be run
// again. Local only: it never touches a deployed database. Works while `npm run dev` is running.
import path from 'node:path'
import { commandLine } from './lib/command-line.mjs'
import { readConfig } from './lib/wrangler-config.mjs'
import { jsonArrayIn, root, wranglerOutput } from './lib/wrangler-run.mjs'

const cli = commandLine({ 'persist-to': { type: 'string' } })
const problem = cli.error ?? (cli.positionals.length > 0 && `unexpected argument ${cli.positionals[0]}`)
if (problem) {
  console.error(`${problem}\nusage: npm run db:reset [-- --persist-to <dir>]`)
  process.exit(1)
}
const persistTo = cli.values['persist-to']
const persist = persistTo ? ['--persist-to', persistTo] : []
const config = readConfig(path.join(root, 'wrangler.toml'))

const sql = (binding, command) =>
  jsonArrayIn(wranglerOutput(['d1', 'execute', binding, '--local', '--json', ...persist, '--command', command]))

for (const db of config.d1_databases ?? []) {
  const tables = sql(
    db.binding,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  )[0].results.map((r) => r.name)
  if (tables.length === 0) {
    console.log(`${db.binding}: no tables (run \`npm run dev\` once to apply the migrations)`)
    continue
  }
  const counts = sql(db.binding, tables.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM "${t}"`).join(' UNION ALL '))[0].results
  sql(db.binding, tables.map((t) => `DELETE FROM "${t}";`).join(' '))
  console.log(`${db.binding} (local): ${counts.map((c) => `${c.t}: ${c.n} rows deleted`).join(', ')}`)
}
