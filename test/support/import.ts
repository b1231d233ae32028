import { ObjectId } from 'bson'
import { env } from 'cloudflare:workers'
import {
  type ExistingRow,
  type ImportDb,
  type ImportReport,
  importUsers,
} from '../../scripts/import-users.plan.mjs'
import type { Json } from './request'

/**
 * The import's database in the tests: the local D1 of this test file, each list of statements run
 * as one batch, as `wrangler d1 execute --local --file` runs it. `returning: false` is the path of
 * --remote (no rows back from the INSERTs: the import verifies by reading). `beforeWrite` runs
 * between the read of existing accounts and the INSERTs (a racing registration).
 */
export function d1Import({
  returning = true,
  beforeWrite,
}: { returning?: boolean; beforeWrite?: () => Promise<void> } = {}) {
  const executed: string[] = []
  const run = async (statements: string[]) =>
    (await env.DB.batch(statements.map((s) => env.DB.prepare(s)))).flatMap((r) => r.results)
  const db: ImportDb & { executed: string[] } = {
    returning,
    executed,
    query: async (statements) => (await run(statements)) as ExistingRow[],
    async execute(statements) {
      executed.push(...statements)
      await beforeWrite?.()
      return (await run(statements)) as ExistingRow[]
    },
  }
  return db
}

export const runImport = (
  text: string,
  options: Parameters<typeof importUsers>[2] = {},
  db: ImportDb = d1Import(),
): Promise<ImportReport> => importUsers(text, db, options)

export const newId = () => new ObjectId().toHexString()

/** PHP's password_hash example from php.net: "rasmuslerdorf" at cost 10, with PHP's $2y$ prefix. */
export const PHP_2Y = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'
export const PHP_2Y_PASSWORD = 'rasmuslerdorf'
/** PHP's crypt() example from php.net: the same password at cost 7. */
export const PHP_2Y_COST_7 = '$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq'

/** An export of these documents, one Extended JSON (v2 relaxed) line each, as mongoexport writes them. */
export const ndjson = (...docs: Json[]) => `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`

export const allUsers = async () => (await env.DB.prepare('SELECT * FROM users ORDER BY id').all<Json>()).results
