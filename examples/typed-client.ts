import { createClient } from '../src/client'

// In a browser on another origin (listed in CORS_ORIGINS), the session cookie needs credentials: 'include'.
const api = createClient('https://auth.example.com', { init: { credentials: 'include' } })

const res = await api.users.register.$post({
  json: { fullName: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'ada@example.com', password: 'correct horse battery' },
})
if (res.status === 201) {
  const { user, token } = await res.json() // user: { _id, fullName: { firstName, lastName }, email, ... }
  console.log(`Signed up as ${user.fullName.firstName}`)

  const me = await api.users.profile.$get() // the browser sends the session cookie
  if (me.ok) console.log((await me.json()).user.email)

  // Code without cookies (a server, a mobile app) sends the token as a Bearer header instead:
  await api.users.profile.$get({}, { headers: { Authorization: `Bearer ${token}` } })
  await api.users.logout.$post()
}
