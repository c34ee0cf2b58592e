/**
 * The error catalogue: every error the API can answer with, by code. Handlers and use cases throw
 * ApiError with a code from here; api/errorHandler renders it as a JSON:API error object (or in the
 * NOMIS shape on /nomisapi routes).
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_query_parameter: { status: 400, title: 'Invalid query parameter' },
  unsupported_include: { status: 400, title: 'Unsupported include' },
  unsupported_sort: { status: 400, title: 'Unsupported sort' },
  invalid_json: { status: 400, title: 'Invalid JSON' },
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

export type ErrorSource = { pointer: string } | { parameter: string } | { header: string }

export type ErrorObject = {
  status: string
  code: ErrorCode
  title: string
  detail: string
  source?: ErrorSource
  meta?: Record<string, unknown>
}

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors: ErrorObject[]
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    detail: string,
    options: { source?: ErrorSource; meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail)
    this.code = code
    this.status = errorCatalogue[code].status
    this.headers = options.headers ?? {}
    this.errors = [errorObject(code, detail, options.source, options.meta)]
  }

  /** Several validation failures answered together, each pointing at its own member. */
  static many(code: ErrorCode, errors: { detail: string; source?: ErrorSource; meta?: Record<string, unknown> }[]) {
    const error = new ApiError(code, errors[0]?.detail ?? errorCatalogue[code].title, errors[0] ?? {})
    error.errors.splice(0, 1, ...errors.map(e => errorObject(code, e.detail, e.source, e.meta)))
    return error
  }
}

export function errorObject(
  code: ErrorCode,
  detail: string,
  source?: ErrorSource,
  meta?: Record<string, unknown>,
): ErrorObject {
  const { status, title } = errorCatalogue[code]
  return {
    status: String(status),
    code,
    title,
    detail,
    ...(source ? { source } : {}),
    ...(meta ? { meta } : {}),
  }
}

/** The NOMIS API answers `{"error":{"message":...}}` with its own status codes. */
export class NomisError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}
