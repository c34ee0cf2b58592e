import { setup, transition } from 'xstate'

export const JOURNEY_STATES = ['proposed', 'in_progress', 'completed', 'cancelled', 'rejected'] as const
export type JourneyState = (typeof JOURNEY_STATES)[number]

export const JOURNEY_EVENTS = [
  'start',
  'reject',
  'complete',
  'uncomplete',
  'cancel',
  'uncancel',
  'lockout',
  'lodging',
] as const
export type JourneyEventName = (typeof JOURNEY_EVENTS)[number]

/**
 * The reference's journey machine. Completing and cancelling can be undone (back to in_progress);
 * a rejected journey is final. Lockouts and lodgings happen on the road, so only in_progress takes
 * them, keeping its state.
 */
export const journeyMachine = setup({
  types: {} as { events: { type: JourneyEventName } },
}).createMachine({
  id: 'journey',
  initial: 'proposed',
  states: {
    proposed: { on: { start: 'in_progress', reject: 'rejected' } },
    in_progress: {
      on: { complete: 'completed', cancel: 'cancelled', lockout: 'in_progress', lodging: 'in_progress' },
    },
    completed: { on: { uncomplete: 'in_progress' } },
    cancelled: { on: { uncancel: 'in_progress' } },
    rejected: { type: 'final' },
  },
})

/** The state after `event`, or null when the machine does not allow it from `state`. */
export function nextJourneyState(state: JourneyState, event: JourneyEventName): JourneyState | null {
  const snapshot = journeyMachine.resolveState({ value: state, context: {} })
  if (!snapshot.can({ type: event })) return null
  const [next] = transition(journeyMachine, snapshot, { type: event })
  return next.value as JourneyState
}
