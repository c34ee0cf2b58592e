import type { Request } from 'express'
import { DomainError, attribute, type ErrorSubject } from '../../lib/errors'
import type { Cancellation } from '../../lib/moves/cancellation'
import type { components } from '../contract'
import { resourceBody } from '../jsonapiBody'

/** ISO 8601 with a time and an offset (or Z), as the events' `timestamp`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

type Problem = { detail: string; subject: ErrorSubject }

/**
 * A journey or lodging event's body: `data.type` of the endpoint, `attributes.timestamp` (required)
 * and optional `notes`. A cancellation also needs `cancellation_reason`, from the caller's list, and
 * `other` needs a comment saying what it was. Move and allocation events are declared in openapi.yaml
 * instead and read with {@link eventTime}; journeys and lodgings follow when their bodies are declared.
 */
export function eventBody(
  req: Request,
  type: string | readonly string[],
  options: { cancellation?: readonly string[] } = {},
): { occurredAt: Date; notes: string | null; cancellation?: Cancellation } {
  const data = resourceBody(req, type)
  const attributes = data.attributes ?? {}
  const problems: Problem[] = []
  const timestamp = attributes.timestamp
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    problems.push({
      detail: 'timestamp is required, as an ISO 8601 date and time with an offset',
      subject: attribute('timestamp'),
    })
  }
  const optionalString = (name: string) => {
    const value = attributes[name]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ detail: `${name} must be a string`, subject: attribute(name) })
    }
    return typeof value === 'string' && value.trim() ? value : null
  }
  const notes = optionalString('notes')
  let cancellation: Cancellation | undefined
  if (options.cancellation) {
    const reasons = options.cancellation
    const reason = attributes.cancellation_reason
    const comment = optionalString('cancellation_reason_comment')
    if (typeof reason !== 'string' || !reasons.includes(reason)) {
      problems.push({
        detail: `cancellation_reason is required, one of ${reasons.join(', ')}`,
        subject: attribute('cancellation_reason'),
      })
    } else if (reason === 'other' && !comment) {
      problems.push({
        detail: 'cancellation_reason_comment is required when the reason is other',
        subject: attribute('cancellation_reason_comment'),
      })
    }
    cancellation = { reason: reason as string, comment }
  }
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  return { occurredAt: new Date(timestamp as string), notes, ...(cancellation ? { cancellation } : {}) }
}

/** Text that says something, or null: a blank note or comment is no note. */
const text = (value: string | null | undefined): string | null => (value?.trim() ? value : null)

/**
 * When a move event happened and its notes, from attributes the contract has checked
 * (MoveEventAttributes: `timestamp` a date-time with an offset).
 */
export function eventTime(attributes: components['schemas']['MoveEventAttributes']): {
  occurredAt: Date
  notes: string | null
} {
  return { occurredAt: new Date(attributes.timestamp), notes: text(attributes.notes) }
}

/** A move's or an allocation's cancellation, from attributes the contract has checked (MoveCancel). */
export function cancellationOf(attributes: components['schemas']['MoveCancel']['data']['attributes']): Cancellation {
  return { reason: attributes.cancellation_reason, comment: text(attributes.cancellation_reason_comment) }
}
