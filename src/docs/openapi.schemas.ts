import { z } from '@hono/zod-openapi'
import type { FieldError } from '../errors'
import type { PublicUser } from '../users/users.service'
import { changePasswordSchema, loginSchema, type RegisterRequest, registerSchema } from '../users/users.schemas'

// Request bodies: the very schema objects the routes validate with, only annotated here. Their
// checks (min/max lengths) become the document's constraints; the rules zod cannot express in
// JSON Schema (byte limits, "differs from the old password") are stated in descriptions.

const body = registerSchema.out.shape
const nameObject = body.fullName.options[1]
const nameString = body.fullName.options[0]

const emailDoc = <S extends z.ZodType>(s: S) =>
  s.openapi({ format: 'email', description: 'Trimmed and lowercased before storing and before every lookup.' })
const newPasswordDoc = <S extends z.ZodType>(s: S) =>
  s.openapi({
    description: 'At least 8 characters and at most 72 bytes of UTF-8 (longer is refused, never truncated).',
  })
const oldPasswordDoc = <S extends z.ZodType>(s: S) =>
  s.openapi({ description: 'Non-empty, at most 72 bytes of UTF-8.' })

const email = emailDoc(body.email)
const password = newPasswordDoc(body.password)
const firstName = nameObject.shape.firstName.openapi({ description: 'Trimmed, 3–50 characters.' })
const lastName = nameObject.shape.lastName.openapi({
  description: 'Optional: absent, null or empty means none; otherwise 3–50 characters after trimming.',
})

const fullName = z.object({ firstName, lastName }).openapi('FullName')

/** The three name shapes existing clients send; errors always name the canonical `fullName.*` path. */
export const RegisterBody = z
  .union([
    z.object({ fullName, email, password }).openapi('RegisterWithFullNameObject', { title: 'fullName object' }),
    z
      .object({ fullname: z.object({ firstname: firstName, lastname: lastName }), email, password })
      .openapi('RegisterWithLegacyFullname', { title: 'legacy fullname object' }),
    z
      .object({
        fullName: nameString.openapi({
          description: 'Split at the first run of whitespace: the first word is firstName, the rest lastName.',
        }),
        email,
        password,
      })
      .openapi('RegisterWithFullNameString', { title: 'fullName string' }),
  ])
  .openapi('RegisterBody')

const login = loginSchema.shape
export const LoginBody = z
  .object({ email: emailDoc(login.email), password: oldPasswordDoc(login.password) })
  .openapi('LoginBody')

const change = changePasswordSchema.shape
export const ChangePasswordBody = z
  .object({
    email: emailDoc(change.email),
    oldPassword: oldPasswordDoc(change.oldPassword),
    newPassword: change.newPassword.openapi({
      description: 'Follows the register password rules and must differ from oldPassword.',
    }),
  })
  .openapi('ChangePasswordBody')

// Responses. Their TypeScript types are checked against what the handlers return (bottom of file).

export const User = z
  .object({
    _id: z.uuid(),
    fullName: z.object({ firstName: z.string(), lastName: z.string().nullable() }),
    email: z.email(),
    profilePic: z.null(),
    socketId: z.null(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User')

export const AuthResult = z
  .object({
    message: z.string(),
    user: User,
    token: z.string().openapi({ description: 'The JWT (HS256); the same value is set as the `token` cookie.' }),
  })
  .openapi('AuthResult')

export const ProfileResult = z.object({ user: User }).openapi('ProfileResult')

export const MessageResult = z.object({ message: z.string() }).openapi('MessageResult')

export const PasswordChanged = z.object({ success: z.literal(true), message: z.string() }).openapi('PasswordChanged')

export const HealthOk = z.object({ status: z.literal('ok') }).openapi('HealthOk')

export const ErrorSchema = z
  .object({ status: z.int().min(400).max(599), message: z.string() })
  .openapi('Error', { description: 'Every error: the status repeated in the body and a message.' })

export const FieldErrorSchema = z
  .object({
    msg: z.string(),
    param: z.string().openapi({ description: 'Same as path (kept for clients written against express-validator).' }),
    path: z.string().openapi({
      description:
        'Canonical dotted path, whatever shape came in: fullName, fullName.firstName, fullName.lastName, email, password, oldPassword, newPassword.',
    }),
    location: z.literal('body'),
  })
  .openapi('FieldError')

export const ValidationError = z
  .object({ status: z.literal(400), message: z.literal('Validation failed'), errors: z.array(FieldErrorSchema).min(1) })
  .openapi('ValidationError', { description: 'One entry per failing field.' })

// Compile-time proof that the documented shapes are the ones the code produces.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const userMatches: Equal<z.output<typeof User>, PublicUser> = true
const fieldErrorMatches: Equal<z.output<typeof FieldErrorSchema>, FieldError> = true
// Each documented register shape is a body the typed client accepts.
const registerMatches: [z.input<typeof RegisterBody>] extends [RegisterRequest] ? true : false = true
void [userMatches, fieldErrorMatches, registerMatches]
