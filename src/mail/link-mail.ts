import type { Context } from 'hono'
import { createLinkToken, type LinkPurpose } from '../auth/link-tokens'
import { type AccountConfig, getAccountConfig } from '../config/account.config'
import { getConfig } from '../config/app.config'
import { ApiError } from '../core/errors'
import type { Db } from '../db/client'
import type { UserRow } from '../db/schema'
import type { AppEnv, Bindings } from '../types'
import { composeMail, deliver, type Mail } from './mailer'
import { dropEndedQuotas, takeEmailQuota } from './quota'

/** What sending a link needs: the bindings, the database, the sender, the page and the signing secret. */
export type LinkMailer = { env: Bindings; db: Db; from: string; appUrl: string; secret: string }

/** localhost, 127.x.x.x, [::1]: the machine itself, where `wrangler dev` serves the demo page. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

/**
 * The page a link opens: APP_URL. When it is empty, this Worker's own demo page, but only on a
 * loopback host (`wrangler dev` on this machine): there the request's host comes from the `Host`
 * header, which anyone sending the request chooses (`Host: evil.example` would mail the victim a
 * link to evil.example). A deployed Worker only learns its hosts from the same header, so it never
 * builds a link from it: `npm run deploy` refuses an empty APP_URL in every environment, and a
 * Worker deployed without one fails closed (500, the log naming APP_URL) instead of guessing.
 */
export function appUrl(config: AccountConfig, requestUrl: string): string {
  if (config.APP_URL) return config.APP_URL
  const url = new URL(requestUrl)
  if (LOOPBACK.test(url.hostname)) return `${url.origin}/`
  console.error(
    `Invalid configuration: APP_URL is empty, and the request's host (${url.hostname}) is not this machine: ` +
      'set APP_URL to the page that opens the emailed links',
  )
  throw new ApiError('INTERNAL_ERROR')
}

/** `<APP_URL>#verify=<token>`: in the fragment, the token never reaches a server log or a Referer. */
export const linkUrl = (appUrl: string, purpose: LinkPurpose, token: string) =>
  `${appUrl}#${purpose === 'verify-email' ? 'verify' : 'reset'}=${token}`

/**
 * The name an email may greet with: a verified user's. An unverified account's name was typed by
 * whoever registered the address, maybe not its owner: in an email from our domain it could carry
 * a stranger's text ("call +1-555…"), so those emails greet with no name.
 */
const nameFor = (user: UserRow) => (user.emailVerified ? user.firstName : undefined)

/** What each email says. */
export type MailKind = LinkPurpose | 'register-attempt'

function accountMail(kind: MailKind, user: UserRow, link: string): Mail {
  const name = nameFor(user)
  switch (kind) {
    case 'verify-email':
      return composeMail(
        user.email,
        'Verify your email address',
        name,
        ['Open this link within 24 hours to confirm that this address is yours:'],
        link,
        'If you did not create an account with this address, do not open the link: someone else may have ' +
          'registered it with a password of their own. Use "Forgot password" with this address instead: ' +
          'the account then becomes yours, with a password only you know.',
      )
    case 'reset-password':
      return composeMail(
        user.email,
        'Reset your password',
        name,
        [
          'Someone, hopefully you, asked to reset the password of your account.',
          'Open this link within 1 hour to choose a new one. It works once, and every session of the account ends when it is used:',
        ],
        link,
        'If you did not ask, ignore this email: your password stays as it is.',
      )
    case 'register-attempt':
      return composeMail(
        user.email,
        'Someone tried to register with your address',
        name,
        [
          'Someone, maybe you, tried to create an account with this email address. It already has one, so nothing was created.',
          'If it was you, log in; if you do not know its password, use "Forgot password" with this address:',
        ],
        link,
        'If it was not you, ignore this email: nothing about your account has changed.',
      )
  }
}

/**
 * Emails `user` about their account (a link for `kind`, or the register-attempt notice), unless
 * the mailbox has had its hourly share (`counted` says the caller already took the quota). Runs in
 * the background (waitUntil): it never rejects for a failed send, and nothing it does (a token, an
 * address) is logged.
 */
export async function mailLink(mailer: LinkMailer, kind: MailKind, user: UserRow, counted = false) {
  if (!counted && !(await takeEmailQuota(mailer.db, user.email)).allowed) {
    console.log(JSON.stringify({ type: 'email', message: `${kind} email skipped: hourly cap reached`, userId: user.id }))
    return
  }
  const link =
    kind === 'register-attempt' ? mailer.appUrl : linkUrl(mailer.appUrl, kind, await createLinkToken(kind, user, mailer.secret))
  await deliver(mailer.env, mailer.from, accountMail(kind, user, link))
  await dropEndedQuotas(mailer.db)
}

/** The LinkMailer of a request: its configuration (a bad one fails closed, 500) and its page. */
export function linkMailer<E extends AppEnv>(c: Context<E>): LinkMailer {
  const config = getConfig(c.env)
  const account = getAccountConfig(c.env)
  return { env: c.env, db: c.var.db, from: account.MAIL_FROM, appUrl: appUrl(account, c.req.url), secret: config.JWT_SECRET }
}
