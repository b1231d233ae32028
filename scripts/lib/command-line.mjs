// The command line of the scripts, read with node:util parseArgs.
import { parseArgs } from 'node:util'

/** parseArgs with positionals; a mistake comes back as `{ error }`, one short line, instead of a throw. */
export function commandLine(options, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true })
  } catch (e) {
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /'([^']+)'/.exec(e.message)
    return { error: unknown ? `unknown option ${unknown[1]}` : e.message }
  }
}

/** --env/-e as wrangler takes it (`--env <name>`, `--env=<name>`, `-e <name>`); give it `multiple: true` for environmentOf. */
export const ENV_OPTION = { env: { type: 'string', short: 'e', multiple: true } }

/**
 * The environment named on the command line (a `commandLine` result): as the positional name
 * (`deploy production`) or as `--env production`, the way wrangler users type it. Both, when they
 * agree, are one; two different names, like a command-line mistake, are `{ error }`.
 */
export function environmentOf({ values, positionals, error }) {
  if (error) return { error }
  const given = [...positionals.map((name) => ({ name, as: name })), ...(values.env ?? []).map((name) => ({ name, as: `--env ${name}` }))]
  const names = [...new Set(given.map((g) => g.name))]
  if (names.length > 1) return { error: `one environment at a time: got ${given.map((g) => g.as).join(' and ')}` }
  return { env: names[0] }
}
