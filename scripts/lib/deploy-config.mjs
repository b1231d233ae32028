// What `npm run deploy` and `npm run provision` know about wrangler.toml: its environments, the
// bindings each one must repeat, the placeholder ids that must be replaced before a deploy, and the
// user-event queues.
// Pure functions of the parsed config (wrangler-config.mjs reads it): offline, no file, no wrangler.

/** Binding lists that wrangler does not inherit into an environment, and the key naming each entry. */
const BINDING_LISTS = {
  d1_databases: 'binding',
  kv_namespaces: 'binding',
  ratelimits: 'name',
  send_email: 'name',
  r2_buckets: 'binding',
  services: 'binding',
  hyperdrive: 'binding',
  analytics_engine_datasets: 'binding',
  vectorize: 'binding',
  workflows: 'binding',
}

/** An id nobody would get from Cloudflare: empty, all zeros, or a fill-me-in marker. */
export const isPlaceholder = (id) => !id || /^[0-]+$/.test(id) || /[<>]|replace|placeholder|your/i.test(id)

export const workerName = (config, env) => config.env?.[env]?.name ?? `${config.name}-${env}`

/** The title `npm run provision` gives an environment's KV namespace (wrangler's own convention). */
export const kvTitle = (config, env, binding) => `${workerName(config, env)}-${binding}`

/**
 * What stops `env` from being deployed, one sentence each: a binding or var the top level has and
 * the environment lacks, a placeholder id (with the command that creates the resource), a rate
 * limiter sharing its namespace_id with another environment (they would share their counts).
 */
export function deployProblems(config, env) {
  const section = config.env?.[env]
  if (!section) return [`wrangler.toml has no [env.${env}]`]
  const problems = []
  const provision = `npm run provision -- ${env}`
  for (const [list, key] of Object.entries(BINDING_LISTS)) {
    const have = new Set((section[list] ?? []).map((b) => b[key]))
    for (const b of config[list] ?? []) {
      if (!have.has(b[key])) {
        problems.push(`[env.${env}] lacks the ${list} entry ${b[key]}: wrangler does not inherit bindings, copy it from the top level`)
      }
    }
  }
  for (const name of Object.keys(config.vars ?? {})) {
    if (!(name in (section.vars ?? {}))) {
      problems.push(`[env.${env}.vars] lacks ${name}: wrangler does not inherit vars, copy it from the top level`)
    }
  }
  problems.push(...mailProblems(config, env))
  problems.push(...queueProblems(config, env))
  problems.push(...placeholderD1Problems(config, env))
  for (const kv of section.kv_namespaces ?? []) {
    if (isPlaceholder(kv.id)) {
      problems.push(
        `[env.${env}] KV ${kv.binding} has a placeholder id: run \`${provision}\` ` +
          `(it runs \`wrangler kv namespace create ${kvTitle(config, env, kv.binding)}\` and writes the id into wrangler.toml), then commit wrangler.toml`,
      )
    }
  }
  for (const limiter of section.ratelimits ?? []) {
    for (const [other, otherSection] of Object.entries(config.env ?? {})) {
      if (other === env) continue
      const clash = (otherSection.ratelimits ?? []).find((l) => String(l.namespace_id) === String(limiter.namespace_id))
      if (clash) {
        problems.push(
          `[env.${env}] rate limiter ${limiter.name} shares namespace_id ${limiter.namespace_id} with [env.${other}] ${clash.name}: give each environment its own ids`,
        )
      }
    }
  }
  return problems
}

/**
 * The account emails of a deployed environment: a real sender (example.com/net/org are reserved
 * names that no Email Service account can send from) and the page their links open. APP_URL is
 * required everywhere, also where the demo page is served: a deployed Worker knows its own host
 * only from the request, whose sender chooses it, so it never builds a link from it.
 */
export function mailProblems(config, env) {
  const section = config.env?.[env] ?? {}
  const vars = section.vars ?? {}
  const problems = []
  const from = String(vars.MAIL_FROM ?? '')
  if (!from || /@example\.(com|net|org)$/i.test(from)) {
    problems.push(
      `[env.${env}.vars] MAIL_FROM is ${JSON.stringify(from)}: set an address on a domain onboarded to Cloudflare Email Service ` +
        '(`npx wrangler email sending enable <domain>`); the verification and reset emails are sent from it',
    )
  }
  if (!vars.APP_URL) {
    const servesDemo = !section.assets || section.assets.directory === config.assets?.directory
    problems.push(
      `[env.${env}.vars] APP_URL is empty: set it to the page that opens the verification and reset links ` +
        (servesDemo
          ? `(this environment serves the demo page: its own URL, e.g. https://${workerName(config, env)}.<your-subdomain>.workers.dev/)`
          : '(your front end’s page)'),
    )
  }
  return problems
}

/** Every queue a config section names: its producers' and consumers' queues and their dead-letter queues. */
export const queueNames = (section) => [
  ...new Set([
    ...(section?.queues?.producers ?? []).map((p) => p.queue),
    ...(section?.queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
  ]),
].filter(Boolean)

const originOf = (url) => {
  try {
    return new URL(url).origin
  } catch {
    return JSON.stringify(url)
  }
}

/**
 * The user-event queues of a deployed environment: the top level's producers (wrangler does not
 * inherit them), a consumer with a dead-letter queue for each produced queue (or the events would
 * never be delivered, or be dropped after the last retry), names no other environment uses (they
 * would deliver each other's events), and https receivers (the events carry emails and names).
 */
export function queueProblems(config, env) {
  const section = config.env?.[env] ?? {}
  const producers = section.queues?.producers ?? []
  const consumers = section.queues?.consumers ?? []
  const problems = []
  for (const p of config.queues?.producers ?? []) {
    if (!producers.some((q) => q.binding === p.binding)) {
      problems.push(`[env.${env}] lacks the queues.producers entry ${p.binding}: wrangler does not inherit bindings, copy it from the top level with a queue name of this environment`)
    }
  }
  for (const p of producers) {
    const consumer = consumers.find((c) => c.queue === p.queue)
    if (!consumer) {
      problems.push(`[env.${env}] queue ${p.queue} (${p.binding}) has no [[env.${env}.queues.consumers]] entry: its events would never be delivered`)
    } else if (!consumer.dead_letter_queue || consumer.dead_letter_queue === p.queue) {
      problems.push(`[env.${env}] the consumer of queue ${p.queue} has no dead_letter_queue of its own: an event never delivered would be dropped after its last retry`)
    }
  }
  for (const [other, otherSection] of Object.entries(config.env ?? {})) {
    if (other === env) continue
    const theirs = new Set(queueNames(otherSection))
    for (const name of queueNames(section).filter((n) => theirs.has(n))) {
      problems.push(`[env.${env}] queue ${name} is also used by [env.${other}]: give each environment its own queues (they would deliver each other's events)`)
    }
  }
  const urls = String(section.vars?.WEBHOOK_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean)
  for (const url of urls.filter((u) => !u.startsWith('https://'))) {
    problems.push(`[env.${env}.vars] WEBHOOK_URL lists ${originOf(url)}, which is not https: the events carry users' emails and names`)
  }
  return problems
}

/** The environment's D1 databases that still have a placeholder id, each with the command that creates it. */
export function placeholderD1Problems(config, env) {
  const provision = `npm run provision -- ${env}`
  return (config.env?.[env]?.d1_databases ?? [])
    .filter((db) => isPlaceholder(db.database_id))
    .map(
      (db) =>
        `[env.${env}] D1 ${db.binding} has a placeholder database_id: run \`${provision}\` ` +
        `(it runs \`wrangler d1 create ${db.database_name}\` and writes the id into wrangler.toml), then commit wrangler.toml`,
    )
}

/**
 * wrangler.toml's text with `key = "<id>"` set in the `[[env.<env>.<table>]]` entry whose
 * `binding` is `binding`. Everything else (comments, order, spacing) is kept as it is.
 */
export function withIdInToml(text, { env, table, binding, key, id }) {
  const lines = text.split('\n')
  const header = `[[env.${env}.${table}]]`
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== header) continue
    let end = i + 1
    while (end < lines.length && !lines[end].trim().startsWith('[')) end++
    const block = lines.slice(i + 1, end)
    if (!block.some((l) => new RegExp(`^\\s*binding\\s*=\\s*"${binding}"`).test(l))) continue
    const at = block.findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l))
    if (at === -1) lines.splice(end, 0, `${key} = "${id}"`)
    else lines[i + 1 + at] = lines[i + 1 + at].replace(/=\s*"[^"]*"/, `= "${id}"`)
    return lines.join('\n')
  }
  throw new Error(`wrangler.toml has no ${header} with binding = "${binding}"`)
}
