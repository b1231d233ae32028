// A service that verifies the API's ES256 tokens with its public keys (JWKS): it holds no secret.
// `strict: true` also asks the API whether the session still stands (logout seen at once).
// docs/migrating.md: "The rest of your app".
import cookieParser from 'cookie-parser'
import express from 'express'
import { SessionCheckUnavailable, jwksVerifier, tokenOf } from './lib/jwks-verifier.mjs'

/** Express middleware: `req.user` is `{ _id, exp }` of a valid token; otherwise 401 (503 when a strict check cannot be made). */
export function requireUser(options) {
  const verify = jwksVerifier(options)
  return async (req, res, next) => {
    const token = tokenOf(req)
    if (!token) return res.status(401).json({ message: 'Unauthorized' })
    try {
      const claims = await verify(token)
      req.user = { _id: claims._id ?? claims.sub, exp: claims.exp }
      return next()
    } catch (e) {
      if (e instanceof SessionCheckUnavailable) return res.status(503).json({ message: 'Service unavailable' })
      return res.status(401).json({ message: 'Unauthorized' })
    }
  }
}

/** The service: `GET /rides/mine` answers for the signed-in user. */
export function createApp(options) {
  const app = express()
  app.use(cookieParser())
  app.get('/rides/mine', requireUser(options), (req, res) => res.json({ user: req.user, rides: [] }))
  return app
}
