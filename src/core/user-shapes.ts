import type { PublicUser } from './schemas'

// The user as each client dialect shows it (docs/migrating.md). The dialects
// (src/compat/) render their answers with these, and the user events (src/events/) send the one
// WEBHOOK_DIALECT names, so a service that mirrors the users stores the shape it always had.

/**
 * The name as a mongoose document serialises it: an absent last name is left out, not null.
 * `first`/`last` name the keys (`firstName` or `firstname`).
 */
export const nameOf = (user: PublicUser, first: string, last: string) => {
  const { firstName, lastName } = user.fullName
  return lastName ? { [first]: firstName, [last]: lastName } : { [first]: firstName }
}

/** "John Doe", or "John" without a last name. */
export const fullNameString = (user: PublicUser) => [user.fullName.firstName, user.fullName.lastName].filter(Boolean).join(' ')

/** One function per dialect: the standard user in, the dialect's user out. */
export const userShapes = {
  /** Today's contract: the user as it is. */
  standard: (user: PublicUser): object => user,
  /**
   * The envelope clients (000): `fullName` as one string ("John Doe"); its fields only, so a field
   * the standard user gains later (`emailVerified`) does not change their shape.
   */
  envelope: (user: PublicUser) => ({
    _id: user._id,
    fullName: fullNameString(user),
    email: user.email,
    profilePic: user.profilePic,
    socketId: user.socketId,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  }),
  /** The id clients (001): identified by `id`. */
  id: (user: PublicUser) => ({
    id: user._id,
    fullName: nameOf(user, 'firstName', 'lastName'),
    email: user.email,
  }),
  /** The mongoose clients (002, 003): the document of their `users` collection, lowercase `fullname`. */
  mongoose: (user: PublicUser) => ({
    _id: user._id,
    fullname: nameOf(user, 'firstname', 'lastname'),
    email: user.email,
    socketId: user.socketId,
  }),
  /** The msg clients (004). */
  msg: (user: PublicUser) => ({
    _id: user._id,
    fullName: nameOf(user, 'firstName', 'lastName'),
    email: user.email,
    socketId: user.socketId,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  }),
}

export type UserShapeName = keyof typeof userShapes
