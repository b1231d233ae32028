import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { createRouter } from '../http/router'
import type { AppEnv } from '../types'
import { openApiDocument, serversFor } from './openapi'
import { json, methodNotAllowed, securitySchemes } from './responses'

const OpenApiDocument = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
    paths: z
      .record(z.string(), z.object({}).openapi({ title: 'PathItem', description: 'The operations, by method.' }))
      .optional(),
    components: z.object({}).openapi({ title: 'Components', description: 'Schemas and security schemes.' }).optional(),
  })
  .openapi('OpenApiDocument', { description: 'This API’s OpenAPI 3.1 document (see the OpenAPI 3.1 specification).' })

const openapiJson = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'openapi',
  tags: ['docs'],
  summary: 'This document',
  responses: { 200: json(OpenApiDocument, 'The OpenAPI 3.1 document, generated from the routes.') },
})

/**
 * GET /openapi.json, documenting `root`: the app this router is mounted on (`/docs` and `/` are
 * static assets in public/, served without the Worker). Its servers follow this deployment's DIALECT.
 */
export function docsRouter(root: OpenAPIHono<AppEnv>) {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    root.openAPIRegistry.registerComponent('securitySchemes', name, scheme)
  }
  root.openAPIRegistry.registerComponent('responses', 'MethodNotAllowed', methodNotAllowed)
  return createRouter().openapi(openapiJson, (c) => c.json({ ...openApiDocument(root), servers: serversFor(c.env.DIALECT) }, 200))
}
