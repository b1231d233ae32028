import type { DialectName } from '../config/app.config'
import type { Dialect } from './dialect'
import { envelope } from './envelope'
import { id } from './id'
import { mongoose } from './mongoose'
import { msg } from './msg'

/** Today's contract: the identity. */
export const standard: Dialect = (_route, status, body) => [status, body]

export const DIALECTS: Record<DialectName, Dialect> = { standard, envelope, id, mongoose, msg }

export const isDialectName = (name: string): name is DialectName => Object.hasOwn(DIALECTS, name)
