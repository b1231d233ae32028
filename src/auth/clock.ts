/**
 * The clock difference tolerated between the Worker that issued a token and the one checking it.
 * Both run on Cloudflare's NTP-synced machines, where clocks differ by milliseconds; `iat` is
 * rounded down to the second, so a few seconds absorb that without letting a forged timestamp in.
 */
export const CLOCK_SKEW_SECONDS = 10

export const nowSeconds = () => Math.floor(Date.now() / 1000)
