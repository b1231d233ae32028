import { z } from '@hono/zod-openapi'

// The wire shapes every layer shares. Handlers do not validate what they send: these schemas type
// what they return (and the typed client's responses) and document it.

/** The user as every client sees it: never the hash, never the token version. */
export const User = z
  .object({
    _id: z.string().openapi({ description: 'UUID, or the 24-hex ObjectId of an imported user.' }),
    fullName: z.object({ firstName: z.string(), lastName: z.string().nullable() }),
    email: z.email(),
    emailVerified: z.boolean().openapi({
      description: 'True once a verification link or a password reset proved the inbox is the user’s.',
    }),
    profilePic: z.null(),
    socketId: z.null(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User')

export type PublicUser = z.output<typeof User>
