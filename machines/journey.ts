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
 * Events no client sends: `move_redated`, the consequence of the journey's move changing date, which
 * calls off a journey still proposed for the old plan (issue #13: a date change cancels the move's
 * proposed journeys). A journey under way or finished is not touched by it.
 */
export const JOURNEY_SYSTEM_EVENTS = ['move_redated'] as const
export type JourneySystemEventName = (typeof JOURNEY_SYSTEM_EVENTS)[number]

/**
 * The reference's journey machine. Completing and cancelling can be undone (back to in_progress);
 * a rejected journey is final. Lockouts and lodgings happen on the road, so only in_progress takes
 * them, keeping its state.
 */
const to = (target: JourneyState) => ({ target, actions: 'notifyMove' }) as const

/** What a transition asks the use case to do: tell the move's subscribers (a journey's change changes its move). */
export type JourneyEffect = { type: 'notifyMove' }

export const journeyMachine = setup({
  types: {} as { events: { type: JourneyEventName | JourneySystemEventName } },
  actions: { notifyMove: () => {} },
}).createMachine({
  id: 'journey',
  initial: 'proposed',
  states: {
    proposed: { on: { start: to('in_progress'), reject: to('rejected'), move_redated: 'cancelled' } },
    in_progress: {
      on: {
        complete: to('completed'),
        cancel: to('cancelled'),
        lockout: to('in_progress'),
        lodging: to('in_progress'),
      },
    },
    completed: { on: { uncomplete: to('in_progress') } },
    cancelled: { on: { uncancel: to('in_progress') } },
    rejected: { type: 'final' },
  },
})

/** One event from `state`: the next state and the effects to carry out, or null when the machine does not allow it. */
export function decideJourney(
  state: JourneyState,
  event: JourneyEventName | JourneySystemEventName,
): { status: JourneyState; effects: JourneyEffect[] } | null {
  const snapshot = journeyMachine.resolveState({ value: state, context: {} })
  if (!snapshot.can({ type: event })) return null
  const [next, actions] = transition(journeyMachine, snapshot, { type: event })
  return { status: next.value as JourneyState, effects: actions.map(a => ({ type: a.type }) as JourneyEffect) }
}

/** The state after `event`, or null when the machine does not allow it from `state`. */
export function nextJourneyState(state: JourneyState, event: JourneyEventName): JourneyState | null {
  return decideJourney(state, event)?.status ?? null
}
