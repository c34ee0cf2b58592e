import fs from 'node:fs'
import express, { type Router } from 'express'
import swaggerUi from 'swagger-ui-express'
import { DomainError } from '../../lib/errors'
import { openapiPath, type OpenApiDocument } from '../openapi'

/**
 * The contract, served: `/v3/api-docs` (JSON: the contract the validator enforces, openapi.yaml with its
 * unbounded integers bounded to int32) and `/v3/api-docs.yaml` (the file as written), the paths
 * springdoc gives HMPPS Kotlin services, beside the rendered `/api-docs`. Anything else under these
 * prefixes is a JSON 404 rather than Express's HTML page.
 */
export default function setUpApiDocs(spec: OpenApiDocument): Router {
  const router = express.Router()
  router.get('/v3/api-docs', (_req, res) => {
    res.json(spec)
  })
  // Read when asked rather than held: a megabyte of text for the life of the process, for a rare request.
  router.get('/v3/api-docs.yaml', async (_req, res) => {
    res.type('application/yaml').send(await fs.promises.readFile(openapiPath, 'utf8'))
  })
  // The UI's page at /api-docs and its static files; swagger-ui-express would answer its page for any path.
  // The page loads the contract from /v3/api-docs (relative, so that it works under a path prefix too):
  // given the document itself, swagger-ui-express would hold it, 1.6 MB of JSON text, in its start-up script.
  router.use('/api-docs', swaggerUi.serve)
  router.get('/api-docs', swaggerUi.setup(undefined, { swaggerUrl: '../v3/api-docs' }))
  router.use((req, _res, next) => {
    if (!/^\/(v3\/)?api-docs/.test(req.path)) return next()
    throw new DomainError('route_not_found', `No route ${req.method} ${req.path}`)
  })
  return router
}
