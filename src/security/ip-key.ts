/**
 * What the per-IP limit counts a client as. An IPv4 address is one client. An IPv6 client is
 * usually given a whole /64 (and picks addresses in it at will), so IPv6 is keyed on its /64
 * (`2001:db8:0:12::/64`, whatever spelling came in); an IPv4-mapped IPv6 address
 * (`::ffff:203.0.113.9`) is its IPv4 client. Anything else (never sent by Cloudflare) is keyed as sent.
 */
export function ipKey(ip: string): string {
  const address = ip.trim().toLowerCase()
  if (!address.includes(':')) return address
  const groups = ipv6Groups(address.split('%')[0]) // a zone id (fe80::1%eth0) names no client
  if (!groups) return address
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.')
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`
}

const HEXTET = /^[0-9a-f]{1,4}$/
const DOTTED_TAIL = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address
  const dotted = DOTTED_TAIL.exec(text)
  if (dotted) {
    const bytes = dotted.slice(1).map(Number)
    if (bytes.some((b) => b > 255)) return undefined
    text = `${text.slice(0, dotted.index)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  return groups.every((g) => HEXTET.test(g)) ? groups.map((g) => parseInt(g, 16)) : undefined
}
