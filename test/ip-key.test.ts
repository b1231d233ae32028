// Issue 15, item 6: an IPv6 client controls a whole /64, so the per-IP limit counts the /64.
import { describe, expect, it } from 'vitest'
import { send, uniqueEmail } from './helpers'

const hex = () => Math.floor(Math.random() * 0xffff).toString(16)

/** 100 cheap requests (invalid bodies: the IP limit comes before validation) from `ips`, in turn. */
async function spend(ips: string[]) {
  for (let i = 0; i < 100; i++) {
    expect((await send('POST', '/users/login', {}, { 'CF-Connecting-IP': ips[i % ips.length] })).status).toBe(400)
  }
}

const attempt = (ip: string) => send('POST', '/users/login', { email: uniqueEmail(), password: 'x' }, { 'CF-Connecting-IP': ip })

describe('the per-IP limit', () => {
  it('counts every address of one IPv6 /64 together: the 101st request from the /64 gets 429', async () => {
    const prefix = `2001:db8:${hex()}:${hex()}`
    await spend(Array.from({ length: 100 }, (_, i) => `${prefix}:${hex()}:${hex()}:${hex()}:${i.toString(16)}`))
    const res = await attempt(`${prefix}::1`)
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    // The same /64 written in full, with leading zeros and in capitals, is the same key.
    const [, , a, b] = prefix.split(':')
    expect((await attempt(`2001:0DB8:${a.padStart(4, '0').toUpperCase()}:${b.padStart(4, '0')}:0:0:0:2`)).status).toBe(429)
  })

  it('another /64 (even the neighbouring one) is not affected', async () => {
    const a = hex()
    const b = parseInt(hex(), 16) & 0xfffe
    await spend([`2001:db8:${a}:${b.toString(16)}::1`])
    expect((await attempt(`2001:db8:${a}:${b.toString(16)}::2`)).status).toBe(429)
    expect((await attempt(`2001:db8:${a}:${(b + 1).toString(16)}::1`)).status).toBe(401)
  })

  it('keeps IPv4 per address, and an IPv4-mapped IPv6 address counts as its IPv4', async () => {
    const v4 = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
    await spend([v4, `::ffff:${v4}`])
    expect((await attempt(v4)).status).toBe(429)
    expect((await attempt(`::FFFF:${v4}`)).status).toBe(429)
    const [x, y, z, w] = v4.split('.').map(Number)
    expect((await attempt(`${x}.${y}.${z}.${(w + 1) % 256}`)).status).toBe(401)
  })
})
