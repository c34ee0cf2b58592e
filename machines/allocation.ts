import { setup, transition } from 'xstate'

export const ALLOCATION_STATUSES = ['unfilled', 'filled', 'cancelled'] as const
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number]

/** `update`: a change of the allocation's own attributes (its date), taken until it is cancelled. */
export type AllocationEventName = 'fill' | 'unfill' | 'cancel' | 'update'

export const allocationMachine = setup({
  types: {} as { events: { type: AllocationEventName } },
}).createMachine({
  id: 'allocation',
  initial: 'unfilled',
  states: {
    unfilled: { on: { fill: 'filled', cancel: 'cancelled', update: 'unfilled' } },
    filled: { on: { unfill: 'unfilled', cancel: 'cancelled', update: 'filled' } },
    cancelled: { type: 'final' },
  },
})

export function nextAllocationStatus(status: AllocationStatus, event: AllocationEventName): AllocationStatus | null {
  const snapshot = allocationMachine.resolveState({ value: status, context: {} })
  if (!snapshot.can({ type: event })) return null
  const [next] = transition(allocationMachine, snapshot, { type: event })
  return next.value as AllocationStatus
}

/**
 * Filled exactly when the allocation has live (not cancelled) moves and every one has a profile;
 * a cancelled allocation stays cancelled.
 */
export function refreshedAllocationStatus(
  status: AllocationStatus,
  moves: { live: number; withoutProfile: number },
): AllocationStatus {
  const event: AllocationEventName = moves.live > 0 && moves.withoutProfile === 0 ? 'fill' : 'unfill'
  return nextAllocationStatus(status, event) ?? status
}
