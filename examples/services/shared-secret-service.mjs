// A service of the old Express + MongoDB app (rides, captains) that keeps its auth middleware
// unchanged: it verifies the token with the shared secret (jsonwebtoken, HS256) and loads the user
// by `decoded._id`. It accepts the API's tokens once its JWT_SECRET_KEY is the API's JWT_SECRET (or
// the other way round), and the API makes ObjectId ids (USER_ID_FORMAT=objectid) for its `findById`.
// docs/migrating.md: "The rest of your app".
import cookieParser from 'cookie-parser'
import express from 'express'
import jwt from 'jsonwebtoken'

/**
 * The middleware as the old service has it, line for line. Only its two mongoose models are passed
 * in, instead of being required from ../models, so that a test can hand it stand-ins.
 */
export const authUser =
  ({ userModel, blacklistTokenModel }) =>
  async (req, res, next) => {
    const token = req.cookies.token || req.headers.authorization?.split(' ')[1]
    if (!token) return res.status(401).json({ message: 'Unauthorized' })
    if (await blacklistTokenModel.findOne({ token })) return res.status(401).json({ message: 'Unauthorized' })
    try {
      const decoded = jwt.verify(token, process.env.JWT_SECRET_KEY) // jsonwebtoken, HS256
      const user = await userModel.findById(decoded._id) // mongoose: _id must be an ObjectId
      req.user = user
      return next()
    } catch (err) {
      return res.status(401).json({ message: 'Unauthorized' })
    }
  }

/** The service: `GET /rides/mine` answers for the signed-in user. */
export function createApp(models) {
  const app = express()
  app.use(cookieParser())
  app.get('/rides/mine', authUser(models), (req, res) => res.json({ user: req.user, rides: [] }))
  return app
}
