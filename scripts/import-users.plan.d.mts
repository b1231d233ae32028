// Types of import-users.plan.mjs (plain JavaScript, so that Node 20 runs it without a build step).

export declare const MAX_STATEMENT_BYTES: number
export declare const DEFAULT_STATEMENT_BYTES: number
export declare const BCRYPT_HASH: RegExp
export declare const REASONS: Record<RejectCode, string>

export type RejectCode =
  | 'not-json'
  | 'not-an-object'
  | 'invalid-id'
  | 'duplicate-id'
  | 'invalid-email'
  | 'duplicate-email'
  | 'email-taken'
  | 'id-taken'
  | 'password'
  | 'bcrypt-cost'
  | 'no-first-name'
  | 'invalid-text'
  | 'name-too-long'
  | 'not-written'
  | 'altered'

export declare class ImportError extends Error {}

export type UserRowInput = {
  id: string
  firstName: string
  lastName: string | null
  email: string
  passwordHash: string
  createdAt: string
  updatedAt: string
}

export type ExportRecord = { line?: number; element?: number; doc?: unknown; text?: string; error?: string }

/** One line of the rejects file. */
export type Reject = {
  line?: number
  element?: number
  code: RejectCode
  reason: string
  _id?: string
  email?: string
  record?: Record<string, unknown>
  text?: string
}

export type ExistingRow = {
  id: string
  email: string
  password_hash: string
  first_name: string
  last_name: string | null
  created_at: string
  updated_at: string
}

export type ImportDb = {
  query(statements: string[]): Promise<ExistingRow[]>
  /** Resolves to the rows of the statements' RETURNING clauses (the rows as stored) when `returning` is true. */
  execute(statements: string[]): Promise<ExistingRow[] | void>
  returning?: boolean
}

export type ImportReport = {
  input: number
  imported: number
  wouldImport: number
  present: number
  /** Of the present ones: the export holds another hash or name than the account (left unchanged). */
  presentDifferent: number
  rejected: number
  byReason: Partial<Record<RejectCode, number>>
  /** Of the rejected: written, but D1 holds other values than the export (an error: the CLI exits 1). */
  altered: number
  /** Of the imported (or, in a dry run, the new): names stored in NFC rather than as exported. */
  normalized: number
  costs: Record<string, number>
  statements: number
  dryRun: boolean
  rejects: Reject[]
}

export declare function sqlText(v: string | null | undefined): string
export declare function utf8Length(s: string): number
export declare function readExport(text: string, options?: { jsonArray?: boolean }): ExportRecord[]
export declare function nameOf(doc: Record<string, unknown>): { firstName: string; lastName: string | null }
export declare function toRow(
  doc: Record<string, unknown>,
  now: string,
): { row: UserRowInput; normalized: boolean } | { problems: [RejectCode, string][]; id?: string; email?: string }
export declare function insertStatements(
  rows: UserRowInput[],
  options?: { maxBytes?: number; returning?: boolean },
): string[]
export declare function lookupStatements(records: { id: string; email: string }[], maxBytes?: number): string[]
export declare function importUsers(
  text: string,
  db: ImportDb,
  options?: { jsonArray?: boolean; dryRun?: boolean; now?: string; statementBytes?: number },
): Promise<ImportReport>
export declare function summaryLines(report: ImportReport, options?: { bcryptCost?: number; costFrom?: string }): string[]
