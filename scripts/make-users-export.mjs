// A large synthetic mongoexport of users, to measure `npm run import-users` (not committed: ~25 MB
// for 100,000 users). Every user's password is `password-<n % 16>`; 16 real bcrypt hashes (cost 10)
// are cycled, so generating 100,000 users takes a second, not hours of bcrypt.
//
//   node scripts/make-users-export.mjs [--count 100000] [--out /tmp/users-100k.ndjson] [--jsonArray]
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { hashSync } from 'bcrypt-ts'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    out: { type: 'string', default: '/tmp/users-100k.ndjson' },
    jsonArray: { type: 'boolean', default: false },
  },
})
const count = Number(values.count)
const hashes = Array.from({ length: 16 }, (_, k) => hashSync(`password-${k}`, 10))
const base = Date.UTC(2022, 0, 1)
const shapes = [
  (i) => ({ fullName: { firstName: `First${i}`, lastName: `Last${i}` } }),
  (i) => ({ fullname: { firstname: `First${i}`, lastname: `Last${i}` } }),
  (i) => ({ fullName: `First${i} Last${i}` }),
]

const lines = []
for (let i = 0; i < count; i++) {
  // A real ObjectId layout: 4-byte timestamp, then 8 bytes (here the counter).
  const id = Math.floor((base + i * 1000) / 1000).toString(16).padStart(8, '0') + i.toString(16).padStart(16, '0')
  const created = new Date(base + i * 60_000).toISOString()
  const doc = {
    _id: { $oid: id },
    ...shapes[i % shapes.length](i),
    email: `User${i}@Example.com`,
    password: hashes[i % hashes.length],
    socketId: null,
    createdAt: { $date: created },
    updatedAt: { $date: created },
    __v: 0,
  }
  lines.push(JSON.stringify(doc))
}
writeFileSync(values.out, values.jsonArray ? `[${lines.join(',\n')}]\n` : `${lines.join('\n')}\n`)
console.log(`${values.out}: ${count} users (password of user n: password-<n % 16>)`)
