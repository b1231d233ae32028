// The rules the Worker and `npm run import-users` share, defined once. Plain JavaScript without
// imports, so that the Worker (TypeScript, bundled), the import script (Node, no build step) and the
// tests (workerd) all load this same file. Types: rules.d.mts.

/** The highest bcrypt cost a Worker can check: one compare at 15 takes seconds of CPU, doubling with each step. */
export const MAX_BCRYPT_COST = 14

/** The cost of a bcrypt hash (`$2b$10$…` -> 10), or NaN when it is not shaped like one. */
export const bcryptCost = (hash) => (/^\$2[aby]\$\d\d\$/.test(hash) ? Number(hash.slice(4, 6)) : Number.NaN)

/** A name part's length, in UTF-16 code units after trimming and NFC (as String#length counts). */
export const NAME_MAX_LENGTH = 50
/** What register asks of a new name part; imported names keep the old backends' shorter minimum. */
export const NAME_MIN_LENGTH = 3
export const LEGACY_NAME_MIN_LENGTH = 1

/**
 * C0 and C1 controls, the line and paragraph separators (U+2028/2029, which break a line wherever
 * the name is shown), the bidi embeddings, overrides and isolates that reorder what is shown, and
 * the invisible bidi marks (LRM U+200E, RLM U+200F, ALM U+061C) that move neighbouring text.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u
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
 * Characters that hide inside a visible name, making two names that look alike differ: the
 * zero-width space (U+200B), the word joiner (U+2060), the zero-width no-break space (U+FEFF) and
 * the tag characters (U+E0000–E007F).
 */
const HIDDEN = /[\u200b\u2060\ufeff\u{e0000}-\u{e007f}]/u
/**
 * The zero-width non-joiner and joiner (U+200C/U+200D) are spelling in the scripts that join or
 * form conjuncts (a Persian name, a Hindi one): they are kept only between two characters of such
 * a script, as IDNA's CONTEXTJ rule keeps them (RFC 5892; approximated by script, since a
 * JavaScript regular expression has no Joining_Type). Anywhere else (inside a Latin name, at an
 * edge) they only hide.
 */
const JOINING_SCRIPTS = ['Arab', 'Syrc', 'Nkoo', 'Mong', 'Deva', 'Beng', 'Guru', 'Gujr', 'Orya', 'Taml', 'Telu', 'Knda', 'Mlym', 'Sinh', 'Tibt', 'Mymr', 'Khmr']
const JOINING = JOINING_SCRIPTS.map((s) => `\\p{scx=${s}}`).join('')
const STRAY_JOINER = new RegExp(`(?<![${JOINING}])[\\u200c\\u200d]|[\\u200c\\u200d](?![${JOINING}])`, 'u')

export const hasLoneSurrogate = (s) => LONE_SURROGATE.test(s)
export const hasControl = (s) => CONTROL.test(s)
export const hasVisible = (s) => VISIBLE.test(s)
export const hasHidden = (s) => HIDDEN.test(s) || STRAY_JOINER.test(s)

/** What each name rule says, after the field's label ("First name must …"). */
export const NAME_MESSAGES = {
  surrogate: 'must be valid Unicode text (no lone surrogate)',
  tooShort: (min) => `must be at least ${min} character${min === 1 ? '' : 's'}`,
  tooLong: `must be at most ${NAME_MAX_LENGTH} characters`,
  control: 'must not contain control characters',
  invisible: 'must contain a visible character',
  hidden: 'must not contain zero-width or tag characters',
}

/**
 * One name part as register stores it, or the first rule it breaks, in the order register reports
 * them: trimmed and in NFC, `min`–50 characters, no control, bidi, zero-width or tag character,
 * at least one visible character. `min` is 3 at register, 1 for an imported legacy name.
 */
export function checkNamePart(raw, min) {
  const trimmed = raw.trim()
  if (hasLoneSurrogate(trimmed)) return { problem: 'surrogate', message: NAME_MESSAGES.surrogate }
  const value = trimmed.normalize('NFC')
  if (value.length > NAME_MAX_LENGTH) return { problem: 'tooLong', message: NAME_MESSAGES.tooLong }
  if (hasControl(value)) return { problem: 'control', message: NAME_MESSAGES.control }
  if (value !== '' && !hasVisible(value)) return { problem: 'invisible', message: NAME_MESSAGES.invisible }
  if (hasHidden(value)) return { problem: 'hidden', message: NAME_MESSAGES.hidden }
  if (value.length < min) return { problem: 'tooShort', message: NAME_MESSAGES.tooShort(min) }
  return { value }
}

/** "John Ronald Doe" -> { firstName: "John", lastName: "Ronald Doe" }: split at the first run of whitespace. */
export function splitFullName(s) {
  const [, first = '', rest] = /^(\S+)(?:\s+([\s\S]+))?$/.exec(s.trim()) ?? []
  return { firstName: first, lastName: rest ?? null }
}
