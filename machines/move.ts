import { setup, transition } from 'xstate'

export const MOVE_STATUSES = ['proposed', 'requested', 'booked', 'in_transit', 'completed', 'cancelled'] as const
export type MoveStatus = (typeof MOVE_STATUSES)[number]

export const MOVE_EVENTS = [
  'approve',
  'accept',
  'start',
  'complete',
  'reject',
  'cancel',
  'lockout',
  'redirect',
] as const
export type MoveEventName = (typeof MOVE_EVENTS)[number]

/**
 * The reference's move state machine. There is no `rejected` state: reject ends in `cancelled`
 * (with cancellation_reason 'rejected'), as in the reference. Lockout and redirect keep the status;
 * the reference takes them in any status, we only while the move can still happen: a redirect
 * before completion, a lockout once the move is booked (the supplier holds the person) and until
 * it completes.
 */
export const moveMachine = setup({
  types: {} as { events: { type: MoveEventName } },
}).createMachine({
  id: 'move',
  initial: 'proposed',
  states: {
    proposed: { on: { approve: 'requested', reject: 'cancelled', cancel: 'cancelled', redirect: 'proposed' } },
    requested: { on: { accept: 'booked', reject: 'cancelled', cancel: 'cancelled', redirect: 'requested' } },
    booked: { on: { start: 'in_transit', cancel: 'cancelled', redirect: 'booked', lockout: 'booked' } },
    in_transit: {
      on: { complete: 'completed', cancel: 'cancelled', redirect: 'in_transit', lockout: 'in_transit' },
    },
    completed: { on: { cancel: 'cancelled' } },
    cancelled: { type: 'final' },
  },
})

/** The status after `event`, or null when the machine does not allow it from `status`. */
export function nextMoveStatus(status: MoveStatus, event: MoveEventName): MoveStatus | null {
  const snapshot = moveMachine.resolveState({ value: status, context: {} })
  if (!snapshot.can({ type: event })) return null
  const [next] = transition(moveMachine, snapshot, { type: event })
  return next.value as MoveStatus
}
