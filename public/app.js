// The demo's only script. It talks to the API with fetch and the session cookie the API sets
// (httpOnly: this code cannot read it, and never reads or keeps the token from a response body).

// The standard contract's own prefix: the page works whatever DIALECT the deployment sets.
const API_BASE = '/compat/standard'

/** Calls the API; answers { ok, status, body } whatever happens, so callers only render. */
async function api(method, path, body) {
  const init = { method, credentials: 'include', headers: { Accept: 'application/json' } }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  try {
    const res = await fetch(API_BASE + path, init)
    const json = await res.json().catch(() => ({ message: `${res.status} ${res.statusText}` }))
    return { ok: res.ok, status: res.status, body: json }
  } catch {
    return { ok: false, status: 0, body: { message: 'The API could not be reached' } }
  }
}

/** Builds the JSON body from inputs named by dotted paths: `fullName.firstName` -> { fullName: { firstName } }. */
function formBody(form) {
  const body = {}
  for (const input of form.querySelectorAll('input[name]')) {
    if (input.hasAttribute('data-optional') && input.value.trim() === '') continue // absent = none
    const keys = input.name.split('.')
    let target = body
    for (const key of keys.slice(0, -1)) target = target[key] ??= {}
    target[keys.at(-1)] = input.value
  }
  return body
}

function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for], [data-form-error]')) slot.textContent = ''
  for (const input of form.querySelectorAll('input')) {
    input.removeAttribute('aria-invalid')
    input.removeAttribute('aria-describedby')
  }
  form.querySelector('[data-form-status]').textContent = ''
}

// Errors without `errors[]` that are still about one field of the form: shown by that field.
const FIELD_OF_CODE = { WRONG_PASSWORD: 'password' }

/**
 * The fields an error body names: its `errors[]` (canonical dotted paths), or the one field its
 * code is about (a wrong password belongs to the password field) when the form has it.
 */
function fieldErrorsOf(form, body) {
  if (Array.isArray(body.errors)) return body.errors.map((e) => ({ path: e.path ?? e.param ?? '', msg: e.msg }))
  const path = FIELD_OF_CODE[body.code]
  if (path && form.querySelector(`[data-error-for="${CSS.escape(path)}"]`)) return [{ path, msg: body.message }]
  return []
}

/** Puts each error next to the field it names; the rest go under the form. */
function showErrors(form, body) {
  const general = form.querySelector('[data-form-error]')
  const fieldErrors = fieldErrorsOf(form, body)
  for (const error of fieldErrors) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(error.path)}"]`)
    if (!slot) {
      general.textContent = [general.textContent, error.msg].filter(Boolean).join(' ')
      continue
    }
    slot.textContent = error.msg
    slot.id ||= `${form.id}-${error.path.replace(/\W/g, '-')}-error`
    const input = form.querySelector(`input[name="${CSS.escape(error.path)}"]`)
    if (input) {
      input.setAttribute('aria-invalid', 'true')
      input.setAttribute('aria-describedby', slot.id)
    }
  }
  if (fieldErrors.length === 0) general.textContent = body.message ?? 'Request failed'
}

const profileBox = document.getElementById('profile')
const sessionStatus = document.getElementById('session-status')
const resendButton = document.getElementById('resend-button')
const resetForm = document.getElementById('reset-form')
const verifyForm = document.getElementById('verify-form')

function element(tag, text, className) {
  const node = document.createElement(tag)
  node.textContent = text
  if (className) node.className = className
  return node
}

function setSessionStatus(message, ok) {
  sessionStatus.textContent = message
  sessionStatus.className = ok ? 'status' : 'status error'
}

/**
 * A change of session (signed in, out, or as someone else) makes every message on the page about the
 * previous one stale: they are cleared, except the one of the action that caused the change.
 */
function clearStaleMessages(source) {
  for (const form of document.querySelectorAll('form[data-path]')) if (form !== source) clearErrors(form)
  if (source !== 'session') setSessionStatus('', true)
  const google = document.getElementById('google-card')
  if (source !== google) for (const slot of google.querySelectorAll('.error, .status')) slot.textContent = ''
}

function showUser(user) {
  const name = [user.fullName.firstName, user.fullName.lastName].filter(Boolean).join(' ')
  const list = document.createElement('dl')
  for (const [term, value] of [
    ['Name', name],
    ['Email', user.email],
    ['Id', user._id],
    ['Since', new Date(user.createdAt).toLocaleString()],
  ]) {
    list.append(element('dt', term), element('dd', value))
  }
  list.querySelector('dd').id = 'profile-name'
  const verification = user.emailVerified
    ? element('p', 'Email verified', 'verified')
    : element('p', 'Email not verified: open the link we emailed you, or ask for a new one.', 'unverified')
  verification.id = 'verification'
  profileBox.replaceChildren(element('p', 'Signed in (cookie session)', 'signed-in'), list, verification)
  resendButton.hidden = user.emailVerified
  for (const card of document.querySelectorAll('[data-signed-in]')) card.hidden = false
  document.getElementById('profile-first-name').value = user.fullName.firstName
  document.getElementById('profile-last-name').value = user.fullName.lastName ?? ''
}

function showSignedOut(message) {
  profileBox.replaceChildren(element('p', `Not signed in: ${message}`, 'signed-out'))
  resendButton.hidden = true
  for (const card of document.querySelectorAll('[data-signed-in]')) card.hidden = true
}

/** The session changed (or may have): show it, and clear the messages it made stale. */
function setSession(user, source) {
  if (user) showUser(user)
  else showSignedOut('no session')
  clearStaleMessages(source)
}

/** Asks the API who is signed in without a 401 (GET /session answers { user: null } when nobody is). */
async function checkSession(source) {
  const res = await api('GET', '/users/session')
  if (res.ok) setSession(res.body.user, source)
  else showSignedOut(res.body.message)
}

/** "Show my profile" asks the profile route itself, so its refusal (401) is shown as the API words it. */
async function refreshProfile() {
  const res = await api('GET', '/users/profile')
  if (res.ok) showUser(res.body.user)
  else showSignedOut(res.body.message)
  return res
}

// What each form says on success, and what it does to the session shown.
const onSuccess = {
  'register-form': (body, form) => {
    if (!body.token) return [`${body.message}.`, () => checkSession(form)]
    return [`Registered as ${body.user.email}: you are signed in. We emailed you a link to verify the address.`, () => setSession(body.user, form)]
  },
  'login-form': (body, form) => [`Logged in as ${body.user.email}.`, () => setSession(body.user, form)],
  'change-password-form': (body, form) => [
    `${body.message}. Sessions issued before the change are now refused.`,
    () => checkSession(form),
  ],
  'forgot-form': (body) => [`${body.message}.`],
  // A link's card is closed once the link is used (it works once): its message goes to the session card.
  'verify-form': (body, form) => ['', () => closeLinkCard(form, `${body.message}. You can log in now.`)],
  'reset-form': (body, form) => [
    '',
    () => closeLinkCard(form, `${body.message}. Log in with the new password: every earlier session has ended.`),
  ],
  'profile-form': (body, form) => ['Name saved.', () => setSession(body.user, form)],
  // This card goes with the session: its message is shown in the session card.
  'delete-form': (body) => ['', () => {
    setSession(null, 'session')
    setSessionStatus(`${body.message}. You are signed out.`, true)
  }],
}

/** Hides a used link's card (its token is spent) and says how it went in the session card. */
async function closeLinkCard(form, message) {
  form.hidden = true
  if (form === resetForm) resetToken = ''
  if (form === verifyForm) verifyToken = ''
  await checkSession('session')
  setSessionStatus(message, true)
  document.getElementById('login-email').focus()
}

// The token of a link this page was opened with, taken out of the address bar at once (see below).
let resetToken = ''
let verifyToken = ''

for (const form of document.querySelectorAll('form[data-path]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    const button = form.querySelector('button[type="submit"]')
    button.disabled = true
    const body = formBody(form)
    if (form === resetForm) body.token = resetToken
    if (form === verifyForm) body.token = verifyToken
    const res = await api(form.dataset.method, form.dataset.path, body)
    button.disabled = false
    if (!res.ok) {
      // An unverified account (REQUIRE_EMAIL_VERIFICATION) cannot sign in to ask for a new link:
      // a completed password reset verifies the email too.
      if (form.id === 'login-form' && res.body.code === 'EMAIL_NOT_VERIFIED') {
        res.body.message = 'Email not verified: open the link we emailed you, or use "Forgot password?" to get a new one.'
      }
      return showErrors(form, res.body)
    }
    const [message, then] = onSuccess[form.id](res.body, form)
    for (const input of form.querySelectorAll('input[type="password"]')) input.value = ''
    await then?.()
    form.querySelector('[data-form-status]').textContent = message
  })
}

async function sessionAction(method, path) {
  setSessionStatus('', true)
  const res = await api(method, path)
  if (res.ok) setSession(null, 'session')
  setSessionStatus(res.body.message ?? `${res.status}`, res.ok)
}

document.getElementById('profile-button').addEventListener('click', async () => {
  setSessionStatus('', true)
  await refreshProfile()
})
document.getElementById('logout-button').addEventListener('click', () => sessionAction('POST', '/users/logout'))
document.getElementById('logout-all-button').addEventListener('click', () => sessionAction('POST', '/users/logout-all'))
resendButton.addEventListener('click', async () => {
  setSessionStatus('', true)
  const res = await api('POST', '/users/verify-email/request')
  setSessionStatus(res.ok ? 'Verification email sent: open the link in it.' : res.body.message, res.ok)
})
document.getElementById('forgot-link').addEventListener('click', () => {
  const email = document.getElementById('forgot-email')
  email.value ||= document.getElementById('login-email').value
  email.focus()
})

/**
 * The emailed links open this page as `/#verify=<token>` or `/#reset=<token>`. A fragment never
 * reaches a server (no access log, no Referer holds the token); it is also removed from the address
 * bar and the history at once, so it is not bookmarked or shared by accident.
 */
async function openLink() {
  const match = /^#(verify|reset)=([\w.-]+)$/.exec(location.hash)
  if (!match) return false
  history.replaceState(null, '', location.pathname + location.search)
  const [, kind, token] = match
  if (kind === 'reset') {
    resetToken = token
    resetForm.hidden = false
    await checkSession()
    document.getElementById('reset-new-password').focus()
    return true
  }
  const res = await api('POST', '/users/verify-email', { token })
  // With REQUIRE_EMAIL_VERIFICATION the API also asks for the account's password (a 400 on
  // `password`): the link alone proves the inbox, not who chose the password.
  if (res.status === 400 && res.body.errors?.some((e) => e.path === 'password')) {
    verifyToken = token
    verifyForm.hidden = false
    await checkSession()
    document.getElementById('verify-password').focus()
    return true
  }
  await checkSession('session')
  setSessionStatus(res.ok ? `${res.body.message}.` : `This verification link does not work: ${res.body.message}.`, res.ok)
  return true
}

/**
 * "Sign in with Google", only when the API serves this page with a client id (GOOGLE_CLIENT_ID is
 * set, and the page's CSP lets Google Identity Services in). Without it nothing is loaded from
 * another origin. Google's button hands back an ID token, which POST /users/google-login verifies.
 */
function setUpGoogle() {
  const clientId = document.body.dataset.googleClientId
  if (!clientId) return
  const card = document.getElementById('google-card')
  const error = document.getElementById('google-error')
  const status = document.getElementById('google-status')
  card.hidden = false
  const signIn = async ({ credential }) => {
    error.textContent = ''
    status.textContent = ''
    const res = await api('POST', '/users/google-login', { idToken: credential })
    if (!res.ok) {
      error.textContent = res.body.errors?.[0]?.msg ?? res.body.message
      return
    }
    setSession(res.body.user, card)
    const created = res.status === 201 ? 'Account created: you' : 'You'
    status.textContent = `${created} are signed in with Google as ${res.body.user.email}.`
  }
  const script = document.createElement('script')
  script.src = 'https://accounts.google.com/gsi/client'
  script.async = true
  script.addEventListener('load', () => {
    window.google.accounts.id.initialize({ client_id: clientId, callback: signIn })
    window.google.accounts.id.renderButton(document.getElementById('google-button'), { type: 'standard', text: 'signin_with' })
  })
  script.addEventListener('error', () => (error.textContent = 'Google Identity Services could not be loaded'))
  document.head.append(script)
}

setUpGoogle()

// On load (and after a reload): a link, or else the quiet session check. A link opened while the
// page is already here only changes the fragment.
window.addEventListener('hashchange', openLink)
if (!(await openLink())) await checkSession()
