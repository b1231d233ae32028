import type { Context } from 'hono'
import { createLinkToken, type LinkPurpose } from '../auth/link-tokens'
import { type AccountConfig, getAccountConfig } from '../config/account.config'
import { getConfig } from '../config/app.config'
import type { Db } from '../db/client'
import type { UserRow } from '../db/schema'
import type { AppEnv, Bindings } from '../types'
import { composeMail, deliver, type Mail } from './mailer'
import { dropEndedQuotas, takeEmailQuota } from './quota'

/** What sending a link needs: the bindings, the database, the sender, the page and the signing secret. */
export type LinkMailer = { env: Bindings; db: Db; from: string; appUrl: string; secret: string }

/**
 * The page a link opens: APP_URL, or this Worker's own demo page when it is empty. The request's
 * origin is the host Cloudflare routed to this Worker (a route or workers.dev), not a header an
 * attacker chooses freely; set APP_URL in production anyway (production serves no demo page).
 */
export const appUrl = (config: AccountConfig, requestUrl: string) => config.APP_URL || `${new URL(requestUrl).origin}/`

/** `<APP_URL>#verify=<token>`: in the fragment, the token never reaches a server log or a Referer. */
export const linkUrl = (appUrl: string, purpose: LinkPurpose, token: string) =>
  `${appUrl}#${purpose === 'verify-email' ? 'verify' : 'reset'}=${token}`

function linkMail(purpose: LinkPurpose, user: UserRow, link: string): Mail {
  return purpose === 'verify-email'
    ? composeMail(
        user.email,
        'Verify your email address',
        user.firstName,
        ['Open this link within 24 hours to confirm that this address is yours:'],
        link,
        'If you did not create an account, ignore this email: nothing happens without the link.',
      )
    : composeMail(
        user.email,
        'Reset your password',
        user.firstName,
        [
          'Someone, hopefully you, asked to reset the password of your account.',
          'Open this link within 1 hour to choose a new one. It works once, and every session of the account ends when it is used:',
        ],
        link,
        'If you did not ask, ignore this email: your password stays as it is.',
      )
}

/**
 * Emails `user` a link for `purpose`, unless the address has had its hourly share (`counted`
 * says the caller already took the quota). Runs in the background (waitUntil): it never rejects
 * for a failed send, and nothing it does (a token, an address) is logged.
 */
export async function mailLink(mailer: LinkMailer, purpose: LinkPurpose, user: UserRow, counted = false) {
  if (!counted && !(await takeEmailQuota(mailer.db, user.email)).allowed) {
    console.log(JSON.stringify({ type: 'email', message: `${purpose} email skipped: hourly cap reached`, userId: user.id }))
    return
  }
  const token = await createLinkToken(purpose, user, mailer.secret)
  await deliver(mailer.env, mailer.from, linkMail(purpose, user, linkUrl(mailer.appUrl, purpose, token)))
  await dropEndedQuotas(mailer.db)
}

/** The LinkMailer of a request: its configuration (a bad one fails closed, 500) and its origin. */
export function linkMailer<E extends AppEnv>(c: Context<E>): LinkMailer {
  const config = getConfig(c.env)
  const account = getAccountConfig(c.env)
  return { env: c.env, db: c.var.db, from: account.MAIL_FROM, appUrl: appUrl(account, c.req.url), secret: config.JWT_SECRET }
}
