import { z } from '@hono/zod-openapi'
import { text } from '../core/fields'

// A user's name, in the three shapes clients send it (register and PATCH /profile).

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * C0 and C1 controls, the line and paragraph separators (U+2028/2029, which break a line wherever
 * the name is shown), and the bidi embeddings, overrides and isolates that reorder what is shown.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u
/** A lone surrogate (`"\ud800"` in JSON): not a character at all, and no UTF-8 form to store or send. */
const LONE_SURROGATE = /\p{Cs}/u
/**
 * A character that shows something: not white space, not default-ignorable (zero-width characters,
 * Hangul fillers, soft hyphens, ...), not a format character or a lone combining mark, not the
 * braille blank, not a private-use or unassigned code point (no font shows those to everyone).
 * Letters, digits, punctuation and symbols of every script are.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Co}\p{Cn}\p{Cs}\u2800]/u

/**
 * The rules every name part shares (first and last name, whatever shape the name came in): no
 * control or bidi override characters, and at least one visible character, so that a name can
 * neither be blank to the eye nor display as something other than what is stored.
 */
const nameText = (label: string) =>
  text(label)
    .trim()
    .refine((s) => !LONE_SURROGATE.test(s), `${label} must be valid Unicode text (no lone surrogate)`)
    // One stored form for one visible name (macOS input produces NFD), as for passwords.
    .normalize('NFC')
    .max(50, `${label} must be at most 50 characters`)
    .refine((s) => !CONTROL.test(s), `${label} must not contain control characters`)
    .refine((s) => s === '' || VISIBLE.test(s), `${label} must contain a visible character`)

export const firstName = nameText('First name')
  .min(3, 'First name must be at least 3 characters')
  .openapi({ description:
      'Trimmed and stored in NFC, 3–50 characters, at least one visible; no control, line separator, lone surrogate or bidi override characters.' })

// Absent, null or empty all mean "no last name".
export const lastName = nameText('Last name')
  .refine((s) => s === '' || s.length >= 3, 'Last name must be at least 3 characters')
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
  .transform((s): { firstName: string; lastName?: string | null } => {
    const [, first, rest] = /^(\S+)(?:\s+([\s\S]+))?$/.exec(s) ?? [s, s]
    return { firstName: first, lastName: rest ?? null }
  })
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
 */
export const nameShapes = <F extends z.ZodRawShape>(prefix: string, fields: F) => ({
  [`${prefix}WithFullNameObject`]: z.object({ fullName: nameObject, ...fields }).openapi({ title: 'fullName object' }),
  [`${prefix}WithLegacyFullname`]: z
    .object({ fullname: z.object({ firstname: firstName, lastname: lastName }), ...fields })
    .openapi({ title: 'legacy fullname object' }),
  [`${prefix}WithFullNameString`]: z.object({ fullName: nameString, ...fields }).openapi({ title: 'fullName string' }),
})

/** A body's document entry: oneOf its name shapes (the component names nameShapes gave them). */
export const oneOfShapes = (shapes: Record<string, unknown>) =>
  Object.keys(shapes).map((name) => ({ $ref: `#/components/schemas/${name}` }))
