import { setup, transition } from 'xstate'

export const LODGING_STATES = ['proposed', 'started', 'completed', 'cancelled'] as const
export type LodgingState = (typeof LODGING_STATES)[number]

export const LODGING_EVENTS = ['start', 'complete', 'cancel'] as const
export type LodgingEventName = (typeof LODGING_EVENTS)[number]

/**
 * The reference's lodging machine: an overnight stay is planned (proposed), the person arrives
 * (started) and leaves (completed). Only a stay that has not begun can be called off; once the
 * person is there, the way out is to complete it.
 */
export const lodgingMachine = setup({
  types: {} as { events: { type: LodgingEventName } },
}).createMachine({
  id: 'lodging',
  initial: 'proposed',
  states: {
    proposed: { on: { start: 'started', cancel: 'cancelled' } },
    started: { on: { complete: 'completed' } },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
  },
})

/** The state after `event`, or null when the machine does not allow it from `state`. */
export function nextLodgingState(state: LodgingState, event: LodgingEventName): LodgingState | null {
  const snapshot = lodgingMachine.resolveState({ value: state, context: {} })
  if (!snapshot.can({ type: event })) return null
  const [next] = transition(lodgingMachine, snapshot, { type: event })
  return next.value as LodgingState
}
