// Well-formed UTF-8: no stray byte, no encoded surrogate (`ED A0 80`), no overlong form. It checks without
// decoding, so a body is decoded once, by the JSON parser.
import { isUtf8 } from 'node:buffer'
import { unescape } from 'node:querystring'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { DomainError, type ErrorCode, type Problem } from '../lib/errors'
import type { MatchedOperation } from './operationMatch'

/**
 * A NUL, or half of a UTF-16 surrogate pair without its other half. PostgreSQL cannot store either
 * in text or jsonb (SQLSTATE 22021 / 22P05), no record the service keeps has a use for them, and a
 * lone surrogate cannot even be encoded as UTF-8 for a webhook or an e-mail.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** Whether a string holds a NUL or an unpaired surrogate, which no text column can take. */
export const isHostile = (value: string): boolean => value.includes('\u0000') || LONE_SURROGATE.test(value)

const DETAIL = 'must not contain a NUL character or an unpaired UTF-16 surrogate'
const NAME_DETAIL = 'has a member whose name contains a NUL character or an unpaired UTF-16 surrogate'

/**
 * The `verify` of the JSON body parser: a UTF-8 body that is not well-formed UTF-8 is refused, where
 * the parser would otherwise put U+FFFD in place of each bad byte and the service would keep a value
 * nobody sent. The parser wraps what this throws as a 400 of type `entity.verify.failed`, which the
 * error handler answers as invalid_json; a DomainError would not do, since the parser sets its status.
 * @throws Error with status 400
 */
export function requireUtf8Body(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() === 'utf-8' && !isUtf8(body)) {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400 })
  }
}

const PERCENT_BYTE = /^%[0-9A-Fa-f]{2}$/
const NOT_ASCII = /%[89A-Fa-f][0-9A-Fa-f]|[^ -~]/

/** The bytes a query string's part stands for: each `%XX` one byte, every other character as UTF-8. */
const percentDecoded = (text: string): Buffer =>
  Buffer.concat(
    text
      .split(/(%[0-9A-Fa-f]{2})/)
      .map(part => (PERCENT_BYTE.test(part) ? Buffer.of(parseInt(part.slice(1), 16)) : Buffer.from(part, 'utf8'))),
  )

/**
 * Query parameters whose percent-encoding is not UTF-8 (`%ED%A0%80`, `%FF`), read from the raw URL
 * since the query parser keeps such a value as it was sent. A `%` not followed by two hex digits is
 * left to the parameter's own rules.
 */
function queryEncodingProblems(url: string, found: Problem[]): void {
  const start = url.indexOf('?')
  // Only an escape of a byte above 0x7F or a raw character outside printable ASCII can be other than UTF-8.
  if (start < 0 || !NOT_ASCII.test(url)) return
  for (const pair of url.slice(start + 1).split('&')) {
    const equals = pair.indexOf('=')
    const name = equals < 0 ? pair : pair.slice(0, equals)
    const value = equals < 0 ? '' : pair.slice(equals + 1)
    if (!isUtf8(percentDecoded(name)) || !isUtf8(percentDecoded(value))) {
      found.push({ detail: 'is not valid percent-encoded UTF-8', subject: { parameter: unescape(name) } })
    }
  }
}

/** Answering every problem of a large hostile body would make the refusal itself large. */
const MAX_PROBLEMS = 20

/**
 * How deeply a JSON body may nest its objects and arrays. No body of the contract nests deeper than
 * about eight levels; the bound is far above that and far below the depth at which any recursive
 * reader of the body (ajv, JSON.stringify for a fingerprint or a log line) would overflow its stack.
 */
export const MAX_BODY_DEPTH = 64

/** Thrown as soon as the walk passes MAX_BODY_DEPTH, so a deep body costs no more than 64 levels. */
const tooDeep = () =>
  new DomainError(
    'invalid_json',
    `The request body must not nest objects and arrays deeper than ${MAX_BODY_DEPTH} levels`,
  )

/**
 * Every hostile string in a parsed JSON value, by its path of member names and indexes. The walk keeps
 * its own stack rather than recursing, so no body can overflow the call stack.
 * @throws DomainError invalid_json when the value nests deeper than MAX_BODY_DEPTH.
 */
function bodyProblems(body: unknown, found: Problem[]): void {
  const pending: { value: unknown; at: (string | number)[] }[] = [{ value: body, at: [] }]
  while (pending.length && found.length < MAX_PROBLEMS) {
    const { value, at } = pending.pop()!
    if (typeof value === 'string') {
      if (isHostile(value)) found.push({ detail: DETAIL, subject: { member: at } })
    } else if (value && typeof value === 'object') {
      if (at.length >= MAX_BODY_DEPTH) throw tooDeep()
      const entries = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value)
      // Pushed in reverse, so members are reported in the order they were sent.
      for (const [key, item] of entries.reverse()) {
        if (typeof key === 'string' && isHostile(key)) found.push({ detail: NAME_DETAIL, subject: { member: at } })
        else pending.push({ value: item, at: [...at, key] })
      }
    }
  }
}

/** The same for a parsed query string, each named as sent: `filter[date_from]`. */
function queryProblems(value: unknown, name: string, found: Problem[]): void {
  if (found.length >= MAX_PROBLEMS) return
  if (typeof value === 'string') {
    if (isHostile(value)) found.push({ detail: DETAIL, subject: { parameter: name } })
  } else if (Array.isArray(value)) {
    value.forEach(item => queryProblems(item, name, found))
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isHostile(key)) found.push({ detail: NAME_DETAIL, subject: { parameter: name } })
      else queryProblems(item, `${name}[${key}]`, found)
    }
  }
}

function pathProblems(parameters: Record<string, string>, found: Problem[]): void {
  for (const [name, encoded] of Object.entries(parameters)) {
    let decoded: string
    try {
      decoded = decodeURIComponent(encoded)
    } catch {
      found.push({ detail: 'is not valid percent-encoded UTF-8', subject: { parameter: name } })
      continue
    }
    if (isHostile(decoded)) found.push({ detail: DETAIL, subject: { parameter: name } })
  }
}

/**
 * The hostile-input policy, one place for all four route families: a string holding a NUL or an
 * unpaired surrogate is refused wherever it is, in the body at any depth, in the query or in a path
 * parameter, naming the member or parameter. Runs after the body is parsed and before the contract is
 * validated, so no handler, use case or statement ever sees such a string. On /api a body problem is
 * 422 with its pointer and a parameter problem 400; the other families answer 400 in their shape.
 */
export function refuseHostileInput(match: (method: string, path: string) => MatchedOperation | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const path = req.baseUrl + req.path
    const parameters: Problem[] = []
    const operation = match(req.method, path)
    if (operation) pathProblems(operation.pathParameters, parameters)
    const query: Problem[] = []
    queryEncodingProblems(req.originalUrl, query)
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (isHostile(name)) query.push({ detail: `A query parameter's name ${DETAIL}` })
      else queryProblems(value, name, query)
    }
    if (parameters.length) throw DomainError.many('bad_request', parameters)
    if (query.length) throw DomainError.many('invalid_query_parameter', query)
    const body: Problem[] = []
    bodyProblems(req.body, body)
    if (body.length) {
      const code: ErrorCode = path.startsWith('/api/') ? 'unprocessable_entity' : 'bad_request'
      throw DomainError.many(code, body)
    }
    next()
  }
}
