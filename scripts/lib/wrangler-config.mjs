// Reading wrangler.toml (or a JSON config) for the scripts, the tests and vitest.config.ts.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'smol-toml'

/** The raw config, as written: the environments unresolved, as wrangler reads it before choosing one. */
export function readConfig(configPath) {
  // smol-toml is the parser wrangler bundles: the same reading, without loading wrangler (1.5 s a script).
  const text = readFileSync(configPath, 'utf8')
  return configPath.endsWith('.toml') ? parse(text) : JSON.parse(text)
}

/**
 * `config` with its relative paths (main, relative aliases, migrations_dir, the assets directory, in
 * every environment) resolved against `dir`, so that a copy written elsewhere points at the same files.
 */
export function withAbsolutePaths(config, dir) {
  const abs = (p) => (p === undefined ? p : path.resolve(dir, p))
  const section = (s) => ({
    ...s,
    ...(s.d1_databases && { d1_databases: s.d1_databases.map((d) => ({ ...d, migrations_dir: abs(d.migrations_dir) })) }),
    ...(s.assets?.directory && { assets: { ...s.assets, directory: abs(s.assets.directory) } }),
  })
  const envs = Object.entries(config.env ?? {}).map(([name, s]) => [name, section(s)])
  return {
    ...section(config),
    main: abs(config.main),
    ...(config.alias && {
      alias: Object.fromEntries(Object.entries(config.alias).map(([k, v]) => [k, v.startsWith('.') ? abs(v) : v])),
    }),
    ...(config.env && { env: Object.fromEntries(envs) }),
  }
}
