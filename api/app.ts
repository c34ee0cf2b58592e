import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import * as OpenApiValidator from 'express-openapi-validator'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'
import { redactUrl } from '../lib/log'
import type { Services } from '../lib/services'
import { jsonContentType, type Handler } from './context'
import { errorHandler } from './errorHandler'
import { contractFormats } from './formats'
import { handlerTable } from './handlers'
import { loadOpenApi, operations } from './openapi'
import { operationMatcher } from './operationMatch'
import setUpApiDocs from './platform/apiDocs'
import { oauthErrors } from './platform/oauth'
import { tokenThrottle } from './platform/tokenThrottle'
import { requireBearerToken } from './setUpAuth'
import { refuseHostileInput, requireUtf8Body } from './setUpHostileInput'
import { perClientRateLimit } from './setUpRateLimit'
import { requireOperationRoles } from './setUpRoles'
import { checkWriteScopes, requireBookingClient, requireWriteScope } from './setUpWriteScope'
import { negotiateApi, requireJsonBody } from './setUpNegotiation'
import { parseMultipart } from './setUpMultipart'
import { routeOperation } from './writePath'

type Route = { basePath: string; openApiRoute: string; method: string }

/**
 * The route families behind bearer tokens, each answering errors in its own shape (api/errorHandler);
 * /diagnostics answers them as /api does.
 */
const ROUTE_FAMILIES = ['/api', '/nomisapi', '/visits', '/queue-admin', '/diagnostics', '/subject-access-request']

/** Express appends `; charset=utf-8` to res.json; JSON:API allows no such parameter. */
function exactJsonContentType(req: Request, res: Response, next: NextFunction): void {
  res.json = function json(body: unknown) {
    if (!res.getHeader('Content-Type')) {
      res.setHeader('Content-Type', jsonContentType(req))
    }
    // Sent as bytes: a string body is joined to the head, and that copy copied again on its way out.
    return res.end(Buffer.from(JSON.stringify(body)))
  }
  next()
}

export function createApp(services: Services): Express {
  const spec = loadOpenApi()
  const handlers = handlerTable(services)
  const declared = operations(spec)
  const missing = declared.filter(d => !handlers[d.operation.operationId ?? ''])
  const undeclared = Object.keys(handlers).filter(id => !declared.some(d => d.operation.operationId === id))
  if (missing.length || undeclared.length) {
    throw new Error(
      `openapi.yaml and the handler table disagree: no handler for ${JSON.stringify(missing.map(m => m.operation.operationId))}, not declared ${JSON.stringify(undeclared)}`,
    )
  }
  checkWriteScopes(spec)
  // Every write runs in the one write path; decided here, at start-up, for every operation.
  const routed = new Map<string, Handler>(
    declared.map(d => [d.operation.operationId!, routeOperation(services, d, handlers, ROUTE_FAMILIES)]),
  )

  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'extended')
  app.use(helmet())
  app.use(
    pinoHttp({
      logger: services.log,
      genReqId: req => (req.headers['x-request-id'] as string) || crypto.randomUUID(),
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      // Ours read the request and response themselves: pino-http's standard serializers, which they would
      // otherwise be given the output of, copied every header and the peer's address on every request,
      // whether or not the line was ever written.
      wrapSerializers: false,
      serializers: {
        req: req => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: res => ({ statusCode: res.statusCode }),
      },
    }),
  )
  app.use(exactJsonContentType)
  app.use(setUpApiDocs(spec))

  app.use('/api', (_req, res, next) => {
    res.setHeader('Vary', 'Accept')
    next()
  })
  const match = operationMatcher(spec)
  app.use('/api', negotiateApi(match))
  // Who is asking and whether they may, before anything is read of what they send.
  app.use(
    ROUTE_FAMILIES,
    requireJsonBody(match),
    requireBearerToken(services),
    perClientRateLimit(services.config.rateLimitPerMinute),
    requireOperationRoles(match),
  )
  app.use('/api', requireBookingClient(match), requireWriteScope(services, match))
  app.use(
    express.json({
      type: ['application/vnd.api+json', 'application/json'],
      limit: services.config.bodyLimit,
      strict: false,
      verify: requireUtf8Body,
    }),
  )
  app.use('/api', parseMultipart(match))
  app.use('/oauth', express.urlencoded({ extended: false, limit: '16kb' }))
  app.use('/oauth/token', tokenThrottle(services.config))
  app.use(ROUTE_FAMILIES, refuseHostileInput(match))

  app.use(
    OpenApiValidator.middleware({
      apiSpec: spec as never,
      // Parameters are always coerced from their strings; bodies never are, so "1e3", "0x10" and true are
      // not numbers. Full formats make a date a real calendar date and a time a real time of day. Every
      // problem of a body is reported, each at its member, not only the first.
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
      ajvFormats: { mode: 'full' },
      formats: contractFormats,
      validateResponses: services.config.nodeEnv === 'test' ? { removeAdditional: false } : false,
      validateSecurity: false,
      // Multipart bodies are parsed before, after authorisation and with our own limits (api/setUpMultipart).
      fileUploader: false,
      ignorePaths: /^\/(v3\/)?api-docs/,
      operationHandlers: {
        basePath: '/',
        resolver: (_basePath: string, route: Route, apiDoc: typeof spec) => {
          const operation = apiDoc.paths[route.openApiRoute]![route.method.toLowerCase()]!
          return routed.get(operation.operationId!)!
        },
      } as never,
    }),
  )
  app.use('/oauth', oauthErrors(services.log))
  app.use(errorHandler(services.log))
  return app
}
