import { setup, transition } from 'xstate'

export const LODGING_STATES = ['proposed', 'started', 'completed', 'cancelled'] as const
export type LodgingState = (typeof LODGING_STATES)[number]

/**
 * start, complete and cancel are the stay's own events; `relocate` (a new location) and
 * `reschedule` (a new end date) are the changes a lodging PATCH makes.
 */
export const LODGING_EVENTS = ['start', 'complete', 'cancel', 'relocate', 'reschedule'] as const
export type LodgingEventName = (typeof LODGING_EVENTS)[number]

/** `start` carries the status of the lodging's move, which its guard reads. */
export type LodgingEvent = { type: 'start'; moveStatus: string } | { type: Exclude<LodgingEventName, 'start'> }

/** What a transition asks the use case to do: tell the move's subscribers (every change to a stay changes its move). */
export type LodgingEffect = { type: 'notifyMove' }

/** Why the machine refused: the state does not take the event, or the move is not under way. */
export type LodgingRefusal = 'not_allowed' | 'move_not_in_transit'

/**
 * The reference's lodging machine: an overnight stay is planned (proposed), the person arrives
 * (started) and leaves (completed). Only a stay that has not begun can be called off or moved
 * elsewhere; once the person is there, the way out is to complete it, and only its end date may
 * change. The person can only arrive while the move is under way (in_transit); leaving is always
 * possible, so a stay is never stranded by the move being cancelled meanwhile.
 */
export const lodgingMachine = setup({
  types: {} as { events: LodgingEvent },
  guards: {
    moveInTransit: ({ event }) => event.type !== 'start' || event.moveStatus === 'in_transit',
  },
  actions: { notifyMove: () => {} },
}).createMachine({
  id: 'lodging',
  initial: 'proposed',
  states: {
    proposed: {
      on: {
        start: { target: 'started', guard: 'moveInTransit', actions: 'notifyMove' },
        cancel: { target: 'cancelled', actions: 'notifyMove' },
        relocate: { target: 'proposed', actions: 'notifyMove' },
        reschedule: { target: 'proposed', actions: 'notifyMove' },
      },
    },
    started: {
      on: {
        complete: { target: 'completed', actions: 'notifyMove' },
        reschedule: { target: 'started', actions: 'notifyMove' },
      },
    },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
  },
})

export type LodgingDecision =
  { allowed: true; status: LodgingState; effects: LodgingEffect[] } | { allowed: false; refusal: LodgingRefusal }

/** Runs one event from `state`: the next state and the effects to carry out, or why not. */
export function decideLodging(state: LodgingState, event: LodgingEvent): LodgingDecision {
  const snapshot = lodgingMachine.resolveState({ value: state, context: {} })
  if (!snapshot.can(event)) {
    const config = lodgingMachine.config.states?.[state]?.on as Record<string, { guard?: string }> | undefined
    const guarded = config?.[event.type]?.guard === 'moveInTransit'
    return { allowed: false, refusal: guarded ? 'move_not_in_transit' : 'not_allowed' }
  }
  const [next, actions] = transition(lodgingMachine, snapshot, event)
  return {
    allowed: true,
    status: next.value as LodgingState,
    effects: actions.map(a => ({ type: a.type }) as LodgingEffect),
  }
}

/** The state after `event` (a start as if the move were under way), or null when the machine does not allow it. */
export function nextLodgingState(state: LodgingState, event: LodgingEventName | LodgingEvent): LodgingState | null {
  const full: LodgingEvent =
    typeof event !== 'string' ? event : event === 'start' ? { type: event, moveStatus: 'in_transit' } : { type: event }
  const decision = decideLodging(state, full)
  return decision.allowed ? decision.status : null
}
