import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { DomainError, errorCatalogue, type ErrorCode, type ErrorSubject, type Problem } from '../lib/errors'
import { redactUrl, type Logger } from '../lib/log'
import { JSONAPI_MEDIA_TYPE } from './context'
import { declaredMessage } from './errorMessages'

type ValidatorError = Error & {
  status?: number
  statusCode?: number
  type?: string
  errors?: { path?: string; message?: string; errorCode?: string }[]
  headers?: Record<string, string>
}

/**
 * express-openapi-validator names a problem's place as `/body/a/b`, `/query/filter/x`, `/params/id`
 * (a path parameter) or `/headers/h`.
 */
function subjectFor(path: string | undefined): ErrorSubject | undefined {
  if (!path) return undefined
  const [, location, ...rest] = path.split('/')
  if (location === 'body') return { member: rest.filter(Boolean) }
  if (location === 'query' || location === 'path' || location === 'params') {
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

/** `sort[by]` or `sort[direction]` outside the list's declared values keeps its own code, as before the contract said it. */
const isSortPath = (path: string | undefined) => Boolean(path?.startsWith('/query/sort/'))

const validatorCodes: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'route_not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22: invalid date, numeric overflow, bad encoding...),
 * as pg and PGlite both report it: a five-character `code` with a `severity`, which tells it apart
 * from Node's own error codes.
 */
export function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | undefined
  return typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string'
}

/** Turns anything thrown into a catalogue error; what is not one is logged and becomes internal_error. */
function toDomainError(err: unknown, log: Logger, req: Request): DomainError {
  if (err instanceof DomainError) return err
  const e = err as ValidatorError
  if (e?.type === 'entity.parse.failed') return new DomainError('invalid_json', 'The request body is not valid JSON')
  if (e?.type === 'entity.verify.failed') return new DomainError('invalid_json', e.message)
  if (e?.type === 'entity.too.large') return new DomainError('payload_too_large', 'The request body is too large')
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new DomainError('unsupported_media_type', e.message, { subject: { header: 'Content-Type' } })
  }
  const pgCode = (err as { code?: unknown })?.code
  if (isDataException(err)) {
    // A value the contract let through but the database cannot take: the input's fault, not ours.
    log.warn({ err, method: req.method, url: req.originalUrl }, 'database refused a value')
    return new DomainError(
      'invalid_value',
      'A value in the request is out of range or not valid for its kind; nothing was changed',
    )
  }
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
    const onlySort = onlyFilters && details.every(d => isSortPath(d.path))
    // On /api a body that parses but does not fit the contract is unprocessable, each problem at its member.
    const unprocessable =
      code === 'bad_request' && req.path.startsWith('/api/') && details.every(d => d.path?.startsWith('/body'))
    const problems = details.map(d => ({
      detail: declaredMessage(req, d.path) ?? d.message ?? e.message,
      subject: code === 'unsupported_media_type' ? { header: 'Content-Type' } : subjectFor(d.path),
    }))
    const error = DomainError.many(
      onlySort
        ? 'unsupported_sort'
        : onlyFilters
          ? 'invalid_query_parameter'
          : unprocessable
            ? 'unprocessable_entity'
            : code,
      // Two rules of one member broken at once (type and enum) read the same once the contract's message
      // replaces both: each problem once.
      [...new Map(problems.map(p => [JSON.stringify(p), p])).values()],
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

/** A JSON:API error object, as /api answers. */
function jsonApiError(code: ErrorCode, problem: Problem) {
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
    userMessage: namedMessages(error.problems),
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

/**
 * A message names the member or parameter it is about: the validator's fragments (`must be integer`)
 * get the name in front (`amount must be integer`); a whole sentence, as the contract declares
 * (`Invalid or missing noms_id`) or a use case throws, stands as it is. Each message once.
 */
function namedMessages(problems: readonly Problem[]): string {
  const messages = problems.map(problem => {
    const subject = problem.subject
    // A header's problem is told in its own words (`Token expired or invalid`), as NOMIS does.
    if (!subject || 'header' in subject) return problem.detail
    const name = 'member' in subject ? subject.member.join('.') : subject.parameter
    const fragment = problem.detail[0] !== problem.detail[0]?.toUpperCase()
    return name && fragment ? `${name} ${problem.detail}` : problem.detail
  })
  return [...new Set(messages)].join('; ')
}

/** Routes that answer in the HMPPS shape (the visit-allocation reference's, and subject access's), not JSON:API. */
const HMPPS_PATHS = /^\/(visits|queue-admin|subject-access-request)(\/|$)/

/** An error as its route family answers it: status, media type and the serialised body. */
export type ErrorResponse = { status: number; contentType: string; body: string }

/**
 * Renders a catalogue error in the shape of the route family `path` belongs to: `{"error":{"message"}}`
 * with NOMIS's statuses on /nomisapi, the HMPPS shape on /visits and /queue-admin, JSON:API elsewhere.
 * Shared by the error middleware and by the HTTP server's refusals made before Express (api/server.ts).
 */
export function errorResponse(error: DomainError, path: string): ErrorResponse {
  if (path.startsWith('/nomisapi')) {
    const status = NOMIS_BAD_REQUEST.has(error.code) ? 400 : error.status
    const message = status >= 500 ? 'Internal server error' : namedMessages(error.problems)
    return { status, contentType: 'application/json', body: JSON.stringify({ error: { message } }) }
  }
  if (HMPPS_PATHS.test(path)) {
    return { status: error.status, contentType: 'application/json', body: JSON.stringify(hmppsErrorBody(error)) }
  }
  const body = { jsonapi: { version: '1.1' }, errors: error.problems.map(p => jsonApiError(error.code, p)) }
  return { status: error.status, contentType: JSONAPI_MEDIA_TYPE, body: JSON.stringify(body) }
}

/** The last middleware: every error, whatever threw it, in its route family's shape; never a stack trace. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    const error = toDomainError(err, log, req)
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
    const { status, contentType, body } = errorResponse(error, req.path)
    res.status(status).setHeader('Content-Type', contentType)
    res.end(body)
  }
}
