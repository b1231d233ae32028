import * as z from 'zod'

const utf8 = new TextEncoder()
/** bcrypt reads at most 72 bytes: longer passwords are refused, never silently truncated. */
const BCRYPT_MAX_BYTES = 72

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A string field whose missing/wrong-type errors name the field. */
const text = (label: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${label} is required` : `${label} must be a string`) })

const password = (label: string) =>
  text(label).refine((s) => utf8.encode(s).length <= BCRYPT_MAX_BYTES, `${label} must be at most 72 bytes`)

const newPassword = (label: string) => password(label).check(z.minLength(8, `${label} must be at least 8 characters`))

const email = text('Email')
  .trim()
  .toLowerCase()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Email must be a valid email address'))

const firstName = text('First name')
  .trim()
  .min(3, 'First name must be at least 3 characters')
  .max(50, 'First name must be at most 50 characters')

// Absent, null or empty all mean "no last name".
const lastName = text('Last name')
  .trim()
  .max(50, 'Last name must be at most 50 characters')
  .refine((s) => s === '' || s.length >= 3, 'Last name must be at least 3 characters')
  .nullish()
  .transform((s) => s || null)

const nameObject = z.object({ firstName, lastName })

// "John Ronald Doe" -> firstName "John", lastName "Ronald Doe".
const nameString = z
  .string()
  .trim()
  .min(3, 'Full name must be at least 3 characters')
  .transform((s): { firstName: string; lastName?: string | null } => {
    const [, first, rest] = /^(\S+)(?:\s+([\s\S]+))?$/.exec(s) ?? [s, s]
    return { firstName: first, lastName: rest ?? null }
  })
  .pipe(nameObject)

const fullName = z.union([nameString, nameObject], {
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
const canonicalName = (body: unknown) => {
  if (!isPlainObject(body) || body.fullName !== undefined || !isPlainObject(body.fullname)) return body
  const { fullname, ...rest } = body as { fullname: Record<string, unknown> }
  return { ...rest, fullName: { firstName: fullname.firstname, lastName: fullname.lastname } }
}

const registerBody = z.object({ fullName, email, password: newPassword('Password') })

/** The body as clients send it (any of the three name shapes): the typed client's register input. */
export type RegisterRequest = Omit<z.input<typeof registerBody>, 'fullName'> &
  (
    | { fullName: z.input<typeof fullName> }
    | { fullname: { firstname: z.input<typeof firstName>; lastname?: z.input<typeof lastName> } }
  )

export const registerSchema = z.preprocess<unknown, typeof registerBody, RegisterRequest>(canonicalName, registerBody)

export const loginSchema = z.object({
  email,
  password: password('Password').min(1, 'Password is required'),
})

export const changePasswordSchema = z
  .object({
    email,
    oldPassword: password('Old password').min(1, 'Old password is required'),
    newPassword: newPassword('New password'),
  })
  .refine((b) => b.newPassword !== b.oldPassword, {
    message: 'New password must differ from the old password',
    path: ['newPassword'],
  })

export type RegisterInput = z.output<typeof registerSchema>
export type LoginInput = z.output<typeof loginSchema>
export type ChangePasswordInput = z.output<typeof changePasswordSchema>
