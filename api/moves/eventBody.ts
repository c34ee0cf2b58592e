import type { Cancellation } from '../../lib/moves/cancellation'
import type { components } from '../contract'

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

/**
 * A cancellation, from attributes the contract has checked: a move's or an allocation's (MoveCancel)
 * or a lodging's (LodgingCancel), each with its own list of reasons.
 */
export function cancellationOf(
  attributes:
    | components['schemas']['MoveCancel']['data']['attributes']
    | components['schemas']['LodgingCancel']['data']['attributes'],
): Cancellation {
  return { reason: attributes.cancellation_reason, comment: text(attributes.cancellation_reason_comment) }
}
