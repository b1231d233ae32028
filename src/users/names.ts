import { z } from '@hono/zod-openapi'
import { nameText } from '../core/names'
import { NAME_MESSAGES, NAME_MIN_LENGTH, splitFullName } from '../core/rules.mjs'

// A user's name, in the three shapes clients send it (register and PATCH /profile).

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export const firstName = nameText('First name')
  .min(NAME_MIN_LENGTH, `First name ${NAME_MESSAGES.tooShort(NAME_MIN_LENGTH)}`)
  .openapi({ description:
      'Trimmed and stored in NFC, 3–50 characters, at least one visible; no control, line separator, lone surrogate, bidi control or mark, zero-width (outside a script that joins) or tag characters.' })

// Absent, null or empty all mean "no last name".
export const lastName = nameText('Last name')
  .refine((s) => s === '' || s.length >= NAME_MIN_LENGTH, `Last name ${NAME_MESSAGES.tooShort(NAME_MIN_LENGTH)}`)
  .nullish()
  .transform((s) => s || null)
  .openapi({
    description:
      'Optional: absent, null or empty means none; otherwise 3–50 characters after trimming, with the first name’s rules.',
  })

export const nameObject = z.object({ firstName, lastName }).openapi('FullName')

// "John Ronald Doe" -> firstName "John", lastName "Ronald Doe".
export const nameString = z
  .string()
  .trim()
  .min(3, 'Full name must be at least 3 characters')
  .transform((s): { firstName: string; lastName?: string | null } => splitFullName(s))
  .pipe(nameObject)
  .openapi({ description: 'Split at the first run of whitespace: the first word is firstName, the rest lastName.' })

export const fullName = z.union([nameString, nameObject], {
  error: (iss) =>
    iss.input === undefined
      ? 'Full name is required'
      : 'Full name must be a string or an object with firstName and lastName',
})

/**
 * Existing clients send `fullName: {firstName, lastName}`, `fullname: {firstname, lastname}` or
 * `fullName: "First Last"`: the legacy lowercase shape is renamed first, so every error is reported
 * under the canonical path (`fullName.firstName`, ...) whatever shape came in.
 */
export const canonicalName = (body: unknown) => {
  if (!isPlainObject(body) || body.fullName !== undefined || !isPlainObject(body.fullname)) return body
  const { fullname, ...rest } = body as { fullname: Record<string, unknown> }
  return { ...rest, fullName: { firstName: fullname.firstname, lastName: fullname.lastname } }
}

/**
 * The three name shapes as the document shows them, each beside `fields`, named `<prefix>With…`,
 * built from the same field schemas. Documentation only: a body's schema validates (one canonical
 * object, after canonicalName); its router registers these, and the body is documented as oneOf them.
 * Each title names its operation (`Register: fullName object`): Swagger UI lists schemas by title,
 * and two operations' shapes would otherwise read the same.
 */
export const nameShapes = <F extends z.ZodRawShape>(prefix: string, operation: string, fields: F) => ({
  [`${prefix}WithFullNameObject`]: z.object({ fullName: nameObject, ...fields }).openapi({ title: `${operation}: fullName object` }),
  [`${prefix}WithLegacyFullname`]: z
    .object({ fullname: z.object({ firstname: firstName, lastname: lastName }), ...fields })
    .openapi({ title: `${operation}: legacy fullname object` }),
  [`${prefix}WithFullNameString`]: z.object({ fullName: nameString, ...fields }).openapi({ title: `${operation}: fullName string` }),
})

/** A body's document entry: oneOf its name shapes (the component names nameShapes gave them). */
export const oneOfShapes = (shapes: Record<string, unknown>) =>
  Object.keys(shapes).map((name) => ({ $ref: `#/components/schemas/${name}` }))
