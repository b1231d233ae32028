// Types of rules.mjs (plain JavaScript, so that the import script runs it in Node without a build step).

export declare const MAX_BCRYPT_COST: number
export declare function bcryptCost(hash: string): number

export declare const NAME_MAX_LENGTH: number
export declare const NAME_MIN_LENGTH: number
export declare const LEGACY_NAME_MIN_LENGTH: number

export declare function hasLoneSurrogate(s: string): boolean
export declare function hasControl(s: string): boolean
export declare function hasVisible(s: string): boolean
export declare function hasHidden(s: string): boolean

export type NameProblem = 'surrogate' | 'tooShort' | 'tooLong' | 'control' | 'invisible' | 'hidden'
export declare const NAME_MESSAGES: {
  surrogate: string
  tooShort: (min: number) => string
  tooLong: string
  control: string
  invisible: string
  hidden: string
}
export declare function checkNamePart(raw: string, min: number): { value: string } | { problem: NameProblem; message: string }
export declare function splitFullName(s: string): { firstName: string; lastName: string | null }
