import type { Request } from 'express'
import { ApiError } from '../../lib/errors'
import { CANCELLATION_REASONS, type Cancellation } from '../../lib/moves/cancellation'
import { resourceBody } from '../jsonapiBody'

/** ISO 8601 with a time and an offset (or Z), as the events' `timestamp`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

type Problem = { detail: string; source: { pointer: string } }

/**
 * An event's body: `data.type` of the endpoint, `attributes.timestamp` (required) and optional
 * `notes`; a cancellation also needs `cancellation_reason` and may carry a comment.
 */
export function eventBody(
  req: Request,
  type: string | readonly string[],
  options: { cancellation?: boolean } = {},
): { occurredAt: Date; notes: string | null; cancellation?: Cancellation } {
  const data = resourceBody(req, type)
  const attributes = data.attributes ?? {}
  const problems: Problem[] = []
  const pointer = (name: string) => ({ pointer: `/data/attributes/${name}` })
  const timestamp = attributes.timestamp
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    problems.push({
      detail: 'timestamp is required, as an ISO 8601 date and time with an offset',
      source: pointer('timestamp'),
    })
  }
  const optionalString = (name: string) => {
    const value = attributes[name]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ detail: `${name} must be a string`, source: pointer(name) })
    }
    return typeof value === 'string' ? value : null
  }
  const notes = optionalString('notes')
  let cancellation: Cancellation | undefined
  if (options.cancellation) {
    const reason = attributes.cancellation_reason
    if (!CANCELLATION_REASONS.includes(reason as (typeof CANCELLATION_REASONS)[number])) {
      problems.push({
        detail: `cancellation_reason is required, one of ${CANCELLATION_REASONS.join(', ')}`,
        source: pointer('cancellation_reason'),
      })
    }
    cancellation = { reason: reason as string, comment: optionalString('cancellation_reason_comment') }
  }
  if (problems.length) throw ApiError.many('unprocessable_entity', problems)
  return { occurredAt: new Date(timestamp as string), notes, ...(cancellation ? { cancellation } : {}) }
}
