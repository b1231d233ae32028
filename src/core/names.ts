import { text } from './fields'

// The character rules of a person's name: register, PATCH /profile, and the names a provider sends.

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
export const nameText = (label: string) =>
  text(label)
    .trim()
    .refine((s) => !LONE_SURROGATE.test(s), `${label} must be valid Unicode text (no lone surrogate)`)
    // One stored form for one visible name (macOS input produces NFD), as for passwords.
    .normalize('NFC')
    .max(50, `${label} must be at most 50 characters`)
    .refine((s) => !CONTROL.test(s), `${label} must not contain control characters`)
    .refine((s) => s === '' || VISIBLE.test(s), `${label} must contain a visible character`)
