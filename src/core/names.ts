import { text } from './fields'
import { hasControl, hasHidden, hasLoneSurrogate, hasVisible, NAME_MAX_LENGTH, NAME_MESSAGES } from './rules.mjs'

// The character rules of a person's name: register, PATCH /profile, the names a provider sends, and
// (through core/rules.mjs) the user import.

/**
 * The rules every name part shares (first and last name, whatever shape the name came in), from
 * core/rules.mjs, which the user import applies too: no control, bidi, zero-width or tag
 * characters, and at least one visible character, so that a name can neither be blank to the eye
 * nor display as something other than what is stored. The first rule broken is the one reported.
 */
export const nameText = (label: string) =>
  text(label)
    .trim()
    .refine((s) => !hasLoneSurrogate(s), `${label} ${NAME_MESSAGES.surrogate}`)
    // One stored form for one visible name (macOS input produces NFD), as for passwords.
    .normalize('NFC')
    .max(NAME_MAX_LENGTH, `${label} ${NAME_MESSAGES.tooLong}`)
    .refine((s) => !hasControl(s), `${label} ${NAME_MESSAGES.control}`)
    .refine((s) => s === '' || hasVisible(s), `${label} ${NAME_MESSAGES.invisible}`)
    .refine((s) => !hasHidden(s), `${label} ${NAME_MESSAGES.hidden}`)
