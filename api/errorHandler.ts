import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { ApiError, NomisError, type ErrorCode, type ErrorObject } from '../lib/errors'
import type { Logger } from '../lib/log'
import { JSONAPI_MEDIA_TYPE } from './context'

type ValidatorError = Error & {
  status?: number
  statusCode?: number
  type?: string
  errors?: { path?: string; message?: string; errorCode?: string }[]
  headers?: Record<string, string>
}

function sourceFor(path: string | undefined): ErrorObject['source'] {
  if (!path) return undefined
  const [, location, ...rest] = path.split('/')
  const name = rest.join('/')
  if (location === 'body') return { pointer: `/${name}` }
  if (location === 'query' || location === 'path') {
    const [first, ...nested] = rest
    return { parameter: `${first ?? location}${nested.map(n => `[${n}]`).join('')}` }
  }
  if (location === 'headers') return { header: name }
  return undefined
}

/**
 * A search body's filter (`POST .../filtered`) is the list's query filter moved into the body, so a
 * bad one is the same invalid_query_parameter, pointing into the body.
 */
const isFilterPath = (path: string | undefined) =>
  Boolean(path?.startsWith('/query/') || path?.startsWith('/body/data/attributes/filter/'))

const validatorCodes: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'route_not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/** Turns anything thrown into the catalogue's status and shape; never a stack trace. */
function toApiError(err: unknown, log: Logger, req: Request): ApiError {
  if (err instanceof ApiError) return err
  const e = err as ValidatorError
  if (e?.type === 'entity.parse.failed') return new ApiError('invalid_json', 'The request body is not valid JSON')
  if (e?.type === 'entity.too.large') return new ApiError('payload_too_large', 'The request body is too large')
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ApiError('unsupported_media_type', e.message, { source: { header: 'Content-Type' } })
  }
  const pgCode = (err as { code?: unknown })?.code
  if (pgCode === '57014') {
    return new ApiError('service_unavailable', 'The request took too long and was cancelled; nothing was changed', {
      headers: { 'Retry-After': '5' },
    })
  }
  if (pgCode === '40001' || pgCode === '40P01') {
    return new ApiError(
      'service_unavailable',
      'The request collided with a concurrent change; nothing was changed, retry it',
      {
        headers: { 'Retry-After': '1' },
      },
    )
  }
  const status = e?.status ?? e?.statusCode
  if (status && validatorCodes[status]) {
    const code = validatorCodes[status]
    const details = e.errors?.length ? e.errors : [{ message: e.message }]
    const onlyFilters = code === 'bad_request' && details.every(d => isFilterPath(d.path))
    const error = ApiError.many(
      onlyFilters ? 'invalid_query_parameter' : code,
      details.map(d => {
        const source = sourceFor(d.path)
        return {
          detail: d.message ?? e.message,
          source: code === 'unsupported_media_type' ? { header: 'Content-Type' } : source,
        }
      }),
    )
    if (status === 405 && e.headers?.Allow) error.headers.Allow = e.headers.Allow
    return error
  }
  const correlationId = randomUUID()
  log.error({ err, correlationId, method: req.method, url: req.originalUrl }, 'unhandled error')
  return new ApiError('internal_error', `Something went wrong. Quote correlation id ${correlationId}.`, {
    meta: { correlation_id: correlationId },
  })
}

/** Routes that answer plain JSON errors in the visit-allocation reference's shape, not JSON:API. */
const PLAIN_JSON_PATHS = /^\/(visits|queue-admin)(\/|$)/

function plainErrorBody(error: ApiError) {
  const [first] = error.errors
  const validationErrors = error.errors.flatMap(e => (e.meta?.validationErrors as string[] | undefined) ?? [])
  return {
    status: error.status,
    errorCode: error.code,
    userMessage: error.errors.map(e => e.detail).join('; '),
    developerMessage: first?.source ? JSON.stringify(first.source) : first?.title,
    moreInfo: null,
    ...(validationErrors.length ? { validationErrors } : {}),
  }
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    if (req.path.startsWith('/nomisapi')) {
      const nomis =
        err instanceof NomisError
          ? err
          : err instanceof ApiError
            ? new NomisError(err.status, err.errors[0]!.detail)
            : null
      const status = nomis?.status ?? toApiError(err, log, req).status
      const message = nomis?.message ?? (status >= 500 ? 'Internal server error' : (err as Error).message)
      res
        .status(status)
        .type('application/json')
        .send(JSON.stringify({ error: { message } }))
      return
    }
    const error = toApiError(err, log, req)
    if (PLAIN_JSON_PATHS.test(req.path)) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
      res
        .status(error.status)
        .type('application/json')
        .send(JSON.stringify(plainErrorBody(error)))
      return
    }
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
    const body = { jsonapi: { version: '1.1' }, errors: error.errors }
    res.status(error.status).setHeader('Content-Type', JSONAPI_MEDIA_TYPE)
    res.end(JSON.stringify(body))
  }
}

export function routeNotFound(req: Request): never {
  throw new ApiError('route_not_found', `No route matches ${req.method} ${req.path}`)
}
