/**
 * The error catalogue: every error the service can answer with, by code, free of any transport. Use
 * cases and the edge throw DomainError with a code from here; api/errors renders it per route family
 * (JSON:API on /api, `{"error":{"message"}}` on /nomisapi, the HMPPS shape on /visits and /queue-admin),
 * each family choosing its own status for a code where its reference differs (NOMIS answers 400 where
 * /api answers 422). `status` here is the default: /api's, which the other families follow unless they
 * say otherwise.
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_query_parameter: { status: 400, title: 'Invalid query parameter' },
  unsupported_include: { status: 400, title: 'Unsupported include' },
  unsupported_sort: { status: 400, title: 'Unsupported sort' },
  invalid_json: { status: 400, title: 'Invalid JSON' },
  invalid_value: { status: 400, title: 'Invalid value' },
  missing_idempotency_key: { status: 400, title: 'Missing idempotency key' },
  invalid_idempotency_key: { status: 400, title: 'Invalid idempotency key' },
  unauthorized: { status: 401, title: 'Not authorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Resource not found' },
  route_not_found: { status: 404, title: 'Route not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  idempotency_in_flight: { status: 409, title: 'Idempotency conflict' },
  invalid_transition: { status: 409, title: 'Invalid transition' },
  type_conflict: { status: 409, title: 'Resource type or id conflict' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Invalid media type' },
  request_header_too_large: { status: 431, title: 'Request header fields too large' },
  invalid_api_version: { status: 415, title: 'Invalid API version' },
  unprocessable_entity: { status: 422, title: 'Unprocessable content' },
  taken: { status: 422, title: 'Unprocessable content' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof errorCatalogue

/**
 * What an error is about, in the terms of the operation's input rather than of any wire format:
 * `member` is a path into the request body (`['data', 'attributes', 'moves_count']` on /api,
 * `['amount']` on /nomisapi), `parameter` a query or path parameter by its name as sent
 * (`filter[date_from]`), `header` a request header.
 */
export type ErrorSubject = { member: readonly (string | number)[] } | { parameter: string } | { header: string }

/** One thing wrong with a request. */
export type Problem = { detail: string; subject?: ErrorSubject; meta?: Record<string, unknown> }

/**
 * A refusal from the catalogue: one code, one or more problems (several invalid members answered
 * together), response headers the refusal needs (`Retry-After`, `Allow`).
 */
export class DomainError extends Error {
  readonly code: ErrorCode
  readonly problems: Problem[]
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    detail: string,
    options: { subject?: ErrorSubject; meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail)
    this.code = code
    this.headers = options.headers ?? {}
    this.problems = [{ detail, subject: options.subject, meta: options.meta }]
  }

  /** The catalogue's default status for this error's code. */
  get status(): number {
    return errorCatalogue[this.code].status
  }

  /** Several problems of one kind answered together, each about its own member. */
  static many(code: ErrorCode, problems: Problem[]): DomainError {
    const error = new DomainError(code, problems[0]?.detail ?? errorCatalogue[code].title)
    error.problems.splice(0, 1, ...problems)
    return error
  }
}

/** A member of the request body, for an error's subject. */
export const member = (...path: (string | number)[]): ErrorSubject => ({ member: path })
/** A JSON:API attribute (`data.attributes.<path>`), for an error's subject. */
export const attribute = (...path: (string | number)[]): ErrorSubject => ({ member: ['data', 'attributes', ...path] })
/** A JSON:API relationship (`data.relationships.<name>`), for an error's subject. */
export const relationship = (name: string): ErrorSubject => ({ member: ['data', 'relationships', name] })
