import { hex } from './hex'

// The one generator of user ids: every way a user is created (register, a sign-up through another
// provider) takes its id from newUserId, in the format USER_ID_FORMAT names.

/** `uuid`: a random UUID (the default). `objectid`: a 24-hex MongoDB ObjectId, for the services that cast ids with mongoose. */
export const USER_ID_FORMATS = ['uuid', 'objectid'] as const
export type UserIdFormat = (typeof USER_ID_FORMATS)[number]


// As MongoDB drivers make them: a random value chosen once per process (here, per isolate) and a
// counter that starts at a random value, so ids made in the same second by one isolate still differ.
// Drawn at the first id, not at load: Workers allow no random values in the global scope.
let processUnique: Uint8Array | undefined
let counter = 0

/**
 * A new ObjectId, 24 lowercase hex characters: 4 bytes of Unix seconds (big-endian), 5 random
 * bytes, a 3-byte counter. Ids sort by creation time, as the old backend's did.
 */
export function objectId(now = Date.now()): string {
  if (!processUnique) {
    processUnique = crypto.getRandomValues(new Uint8Array(5))
    counter = crypto.getRandomValues(new Uint32Array(1))[0] & 0xffffff
  }
  const bytes = new Uint8Array(12)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, Math.floor(now / 1000))
  bytes.set(processUnique, 4)
  counter = (counter + 1) & 0xffffff
  bytes[9] = counter >> 16
  bytes[10] = (counter >> 8) & 0xff
  bytes[11] = counter & 0xff
  return hex(bytes)
}

/** The id of a user being created, in the configured format. */
export const newUserId = (format: UserIdFormat): string => (format === 'objectid' ? objectId() : crypto.randomUUID())
