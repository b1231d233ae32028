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

/** Puts each `errors[]` entry next to the field its canonical path names; the rest go under the form. */
function showErrors(form, body) {
  const general = form.querySelector('[data-form-error]')
  const fieldErrors = Array.isArray(body.errors) ? body.errors : []
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

function element(tag, text, className) {
  const node = document.createElement(tag)
  node.textContent = text
  if (className) node.className = className
  return node
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
  profileBox.replaceChildren(element('p', 'Signed in (cookie session)', 'signed-in'), list)
}

function showSignedOut(message) {
  profileBox.replaceChildren(element('p', `Not signed in: ${message}`, 'signed-out'))
}

async function refreshProfile() {
  const res = await api('GET', '/users/profile')
  if (res.ok) showUser(res.body.user)
  else showSignedOut(res.body.message)
  return res
}

const successMessages = {
  'register-form': (body) => `Registered as ${body.user.email}: you are signed in.`,
  'login-form': (body) => `Logged in as ${body.user.email}.`,
  'change-password-form': (body) => `${body.message}. Sessions issued before the change are now refused.`,
}

for (const form of document.querySelectorAll('form[data-path]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    const button = form.querySelector('button[type="submit"]')
    button.disabled = true
    const res = await api(form.dataset.method, form.dataset.path, formBody(form))
    button.disabled = false
    if (!res.ok) return showErrors(form, res.body)
    form.querySelector('[data-form-status]').textContent = successMessages[form.id](res.body)
    for (const input of form.querySelectorAll('input[type="password"]')) input.value = ''
    if (res.body.user) showUser(res.body.user)
    else await refreshProfile()
  })
}

async function sessionAction(method, path) {
  sessionStatus.textContent = ''
  const res = await api(method, path)
  sessionStatus.textContent = res.body.message ?? `${res.status}`
  sessionStatus.className = res.ok ? 'status' : 'status error'
  if (res.ok) showSignedOut('logged out')
}

document.getElementById('profile-button').addEventListener('click', async () => {
  sessionStatus.textContent = ''
  await refreshProfile()
})
document.getElementById('logout-button').addEventListener('click', () => sessionAction('POST', '/users/logout'))
document.getElementById('logout-all-button').addEventListener('click', () => sessionAction('POST', '/users/logout-all'))
