import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { DomainError, errorCatalogue, type ErrorCode, type ErrorSubject, type Problem } from '../lib/errors'
import { redactUrl, type Logger } from '../lib/log'
import { JSONAPI_MEDIA_TYPE } from './context'

type ValidatorError = Error & {
  status?: number
  statusCode?: number
  type?: string
  errors?: { path?: string; message?: string; errorCode?: string }[]
  headers?: Record<string, string>
}

/** express-openapi-validator names a problem's place as `/body/a/b`, `/query/filter/x` or `/headers/h`. */
function subjectFor(path: string | undefined): ErrorSubject | undefined {
  if (!path) return undefined
  const [, location, ...rest] = path.split('/')
  if (location === 'body') return { member: rest.filter(Boolean) }
  if (location === 'query' || location === 'path') {
    const [first, ...nested] = rest
    return { parameter: `${first ?? location}${nested.map(n => `[${n}]`).join('')}` }
  }
  if (location === 'headers') return { header: rest.join('/') }
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

/** Turns anything thrown into a catalogue error; what is not one is logged and becomes internal_error. */
function toDomainError(err: unknown, log: Logger, req: Request): DomainError {
  if (err instanceof DomainError) return err
  const e = err as ValidatorError
  if (e?.type === 'entity.parse.failed') return new DomainError('invalid_json', 'The request body is not valid JSON')
  if (e?.type === 'entity.too.large') return new DomainError('payload_too_large', 'The request body is too large')
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new DomainError('unsupported_media_type', e.message, { subject: { header: 'Content-Type' } })
  }
  const pgCode = (err as { code?: unknown })?.code
  if (pgCode === '57014') {
    return new DomainError('service_unavailable', 'The request took too long and was cancelled; nothing was changed', {
      headers: { 'Retry-After': '5' },
    })
  }
  if (pgCode === '40001' || pgCode === '40P01') {
    return new DomainError(
      'service_unavailable',
      'The request collided with a concurrent change; nothing was changed, retry it',
      { headers: { 'Retry-After': '1' } },
    )
  }
  const status = e?.status ?? e?.statusCode
  if (status && validatorCodes[status]) {
    const code = validatorCodes[status]
    // A conditional rule's failure (`if`/`then`) is also reported at the object holding it; the `then`
    // schema's own errors already name the member.
    const specific = e.errors?.filter(d => d.errorCode !== 'if.openapi.validation')
    const details = specific?.length ? specific : [{ message: e.message }]
    const onlyFilters = code === 'bad_request' && details.every(d => isFilterPath(d.path))
    // On /api a body that parses but does not fit the contract is unprocessable, each problem at its member.
    const unprocessable =
      code === 'bad_request' && req.path.startsWith('/api/') && details.every(d => d.path?.startsWith('/body'))
    const error = DomainError.many(
      onlyFilters ? 'invalid_query_parameter' : unprocessable ? 'unprocessable_entity' : code,
      details.map(d => ({
        detail: d.message ?? e.message,
        subject: code === 'unsupported_media_type' ? { header: 'Content-Type' } : subjectFor(d.path),
      })),
    )
    if (status === 405 && e.headers?.Allow) error.headers.Allow = e.headers.Allow
    return error
  }
  const correlationId = randomUUID()
  log.error({ err, correlationId, method: req.method, url: redactUrl(req.originalUrl) }, 'unhandled error')
  return new DomainError('internal_error', `Something went wrong. Quote correlation id ${correlationId}.`, {
    meta: { correlation_id: correlationId },
  })
}

/** The JSON:API `source` of a problem: a member as a JSON pointer, or the parameter or header. */
function source(subject: ErrorSubject | undefined): Record<string, string> | undefined {
  if (!subject) return undefined
  if ('member' in subject) return { pointer: subject.member.map(m => `/${m}`).join('') || '/' }
  return subject
}

/** A JSON:API error object, as /api answers and the HTTP server's own refusals (api/server.ts) do. */
export function jsonApiError(code: ErrorCode, problem: Problem) {
  const { status, title } = errorCatalogue[code]
  const at = source(problem.subject)
  return {
    status: String(status),
    code,
    title,
    detail: problem.detail,
    ...(at ? { source: at } : {}),
    ...(problem.meta ? { meta: problem.meta } : {}),
  }
}

/** The visit-allocation reference's error shape, for /visits and /queue-admin. */
function hmppsErrorBody(error: DomainError) {
  const [first] = error.problems
  const validationErrors = error.problems.flatMap(p => (p.meta?.validationErrors as string[] | undefined) ?? [])
  const at = source(first?.subject)
  return {
    status: error.status,
    errorCode: error.code,
    userMessage: error.problems.map(p => p.detail).join('; '),
    developerMessage: at ? JSON.stringify(at) : errorCatalogue[error.code].title,
    moreInfo: null,
    ...(validationErrors.length ? { validationErrors } : {}),
  }
}

/**
 * NOMIS answers 400 for every refusal of the request's content, business rules included
 * (`Insufficient Funds`), where /api distinguishes 400 from 422 and 409 type conflicts.
 */
const NOMIS_BAD_REQUEST: ReadonlySet<ErrorCode> = new Set([
  'unprocessable_entity',
  'taken',
  'type_conflict',
  'invalid_value',
  'invalid_query_parameter',
  'invalid_json',
])

/** A NOMIS message names the member or parameter it is about: `amount must be integer`. */
function nomisMessage(problem: Problem): string {
  const subject = problem.subject
  if (!subject) return problem.detail
  const name =
    'member' in subject ? subject.member.join('.') : 'parameter' in subject ? subject.parameter : subject.header
  return name ? `${name} ${problem.detail}` : problem.detail
}

/** Routes that answer in the visit-allocation reference's shape, not JSON:API. */
const HMPPS_PATHS = /^\/(visits|queue-admin)(\/|$)/

/** The last middleware: every error, whatever threw it, in its route family's shape; never a stack trace. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    const error = toDomainError(err, log, req)
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
    if (req.path.startsWith('/nomisapi')) {
      const status = NOMIS_BAD_REQUEST.has(error.code) ? 400 : error.status
      const message = status >= 500 ? 'Internal server error' : error.problems.map(nomisMessage).join('; ')
      res
        .status(status)
        .type('application/json')
        .send(JSON.stringify({ error: { message } }))
      return
    }
    if (HMPPS_PATHS.test(req.path)) {
      res
        .status(error.status)
        .type('application/json')
        .send(JSON.stringify(hmppsErrorBody(error)))
      return
    }
    const body = { jsonapi: { version: '1.1' }, errors: error.problems.map(p => jsonApiError(error.code, p)) }
    res.status(error.status).setHeader('Content-Type', JSONAPI_MEDIA_TYPE)
    res.end(JSON.stringify(body))
  }
}
