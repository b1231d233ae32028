import SwaggerParser from '@apidevtools/swagger-parser'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import type { OpenAPIV3_1 } from 'openapi-types'
import { call } from './request'

export type Doc = OpenAPIV3_1.Document
export type Operation = OpenAPIV3_1.OperationObject & { 'x-alias-of'?: string }
/** `url`: the path with each `{param}` replaced by the example the document gives it (a path a request can use). */
export type Op = { key: string; method: string; path: string; url: string; op: Operation }

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** The document exactly as a client downloads it. */
export async function fetchDocument(): Promise<Doc> {
  const res = await call('/openapi.json')
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`)
  return (await res.json()) as Doc
}

/** Every operation as `METHOD /path`, in document order. */
export function operationsOf(doc: Doc): Op[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m]).map((method) => {
      const op = item![method] as Operation
      const params = (op.parameters ?? []) as OpenAPIV3_1.ParameterObject[]
      const example = (name: string) => {
        const param = params.find((p) => p.in === 'path' && p.name === name)
        return String(param?.example ?? (param?.schema as OpenAPIV3_1.SchemaObject | undefined)?.example ?? name)
      }
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => example(name))
      return { key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, url, op }
    }),
  )
}

/**
 * A JSON Schema 2020-12 validator for the document's own schemas (refs resolved first), so a test
 * checks real bodies against what the document says, independently of the zod schemas behind it.
 */
export async function schemaChecker(doc: Doc) {
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as Doc
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
  const media = (op: Op, status?: string) => {
    const item = deref.paths![op.path] as Record<string, Operation>
    const target = status ? item[op.method.toLowerCase()].responses![status] : item[op.method.toLowerCase()].requestBody
    return (target as { content?: Record<string, OpenAPIV3_1.MediaTypeObject> }).content?.['application/json']
  }
  const check = (schema: object | undefined, value: unknown) => {
    if (!schema) throw new Error('no schema documented')
    const validate = ajv.compile(schema)
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
  }
  return {
    /** Validation errors of a response body against the schema documented for that status. */
    response: (op: Op, status: string, body: unknown) => check(media(op, status)?.schema, body),
    /** Validation errors of a request body against the documented request schema. */
    request: (op: Op, body: unknown) => check(media(op)?.schema, body),
  }
}

type Examples = Record<string, { value?: unknown }>

export const requestExamples = (op: Operation): Examples =>
  ((op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content?.['application/json']?.examples ??
    {}) as Examples

export const responseExamples = (op: Operation, status: string): Examples =>
  ((op.responses?.[status] as OpenAPIV3_1.ResponseObject | undefined)?.content?.['application/json']?.examples ??
    {}) as Examples

/** The one documented status whose response examples answer the named request example. */
export function statusFor(op: Operation, name: string): string {
  const statuses = Object.keys(op.responses ?? {}).filter((s) => name in responseExamples(op, s))
  if (statuses.length !== 1) throw new Error(`example "${name}" is answered under ${statuses.length} statuses`)
  return statuses[0]
}

/** Example emails made unique per run, keeping the links between examples (same user, other case). */
export const withRun = <T>(value: T, run: string): T =>
  JSON.parse(JSON.stringify(value).replace(/@example\.com/gi, `+${run}@example.com`)) as T
