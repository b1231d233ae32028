import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { openApiDocument } from './openapi'

/** The API description. `/docs` and `/` are static assets (public/), served without the Worker. */
export const docs = new Hono<AppEnv>().get('/openapi.json', (c) => c.json(openApiDocument(), 200))
