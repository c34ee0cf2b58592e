import { setup, transition } from 'xstate'

export const MOVE_STATUSES = ['proposed', 'requested', 'booked', 'in_transit', 'completed', 'cancelled'] as const
export type MoveStatus = (typeof MOVE_STATUSES)[number]

/**
 * The events a move takes: the eight the routes name (approve … redirect), and three that other
 * changes send through the machine so that it alone says when a move may change: `redate` (a new
 * date, from a move PATCH or the allocation's), `update` (any other PATCH) and `plan_lodging` (a
 * stay planned or changed).
 */
export const MOVE_EVENTS = [
  'approve',
  'accept',
  'start',
  'complete',
  'reject',
  'cancel',
  'lockout',
  'redirect',
  'redate',
  'update',
  'plan_lodging',
] as const
export type MoveEventName = (typeof MOVE_EVENTS)[number]

/**
 * The facts from other records that guards need; the use case loads them and puts them in the event.
 * `complete`: the overnight stay the person is still at (a started lodging), if any.
 * `redate` and `approve`: the move's earliest planned (proposed) stay, which must not begin before
 * the new date, as when the stay was planned.
 */
export type MoveEvent =
  | { type: 'complete'; startedLodgingId: string | null }
  | { type: 'redate' | 'approve'; date: string; earliestPlannedLodging: { id: string; start_date: string } | null }
  | { type: Exclude<MoveEventName, 'complete' | 'redate' | 'approve'> }

/** The notification a change announces (lib/notifications/outbox.ts turns it into each subscriber's event type). */
export type MoveNotification = 'update_move' | 'update_move_status' | 'redirect'

/**
 * What a transition asks the use case to do besides setting the status, in order:
 * `cancelPlannedLodgings` (the move will not happen, or has happened: stays not begun are called off),
 * `cancelProposedJourneys` (a new date calls off the journeys proposed for the old plan: issue #13, after
 * the reference's Move#cancel_proposed_journeys; each goes through the journey machine's `move_redated`), `refreshAllocation`, and `notify`.
 */
export type MoveEffect =
  | { type: 'cancelPlannedLodgings' }
  | { type: 'cancelProposedJourneys' }
  | { type: 'refreshAllocation' }
  | { type: 'notify'; params: { kind: MoveNotification } }

/** Why the machine refused: the event is not taken in this status, or the guard that barred it. */
export type MoveRefusal = 'not_allowed' | 'lodged' | 'lodging_before_date'

const notify = (kind: MoveNotification) => ({ type: 'notify', params: { kind } }) as const
const UPDATE = [notify('update_move')]
const STATUS_CHANGE = ['refreshAllocation', notify('update_move_status')] as const
const redate = (status: MoveStatus) =>
  ({
    target: status,
    guard: 'lodgingsNotBeforeDate',
    actions: ['cancelProposedJourneys', 'refreshAllocation', notify('update_move')],
  }) as const
/** What a move still to happen takes in any status; a self-transition names its own status, since xstate ignores an empty one. */
const live = (status: MoveStatus) =>
  ({
    redirect: { target: status, actions: notify('redirect') },
    update: { target: status, actions: [...UPDATE, 'refreshAllocation'] },
    plan_lodging: { target: status, actions: UPDATE },
  }) as const

/**
 * The reference's move state machine. There is no `rejected` state: reject ends in `cancelled`
 * (with cancellation_reason 'rejected'), as in the reference. Lockout and redirect keep the status;
 * the reference takes them in any status, we only while the move can still happen: a redirect
 * before completion, a lockout once the move is booked (the supplier holds the person) and until
 * it completes. A move changes date only before it is under way, as an allocation's redate already
 * did; it cannot complete while the person is still at an overnight stay; stays are planned only
 * on a move that is still to happen. Proposed moves notify nobody (the supplier first hears of one
 * when it is approved), so their transitions declare no notification.
 */
export const moveMachine = setup({
  types: {} as { events: MoveEvent },
  guards: {
    notLodged: ({ event }) => event.type !== 'complete' || event.startedLodgingId === null,
    lodgingsNotBeforeDate: ({ event }) =>
      !('earliestPlannedLodging' in event) ||
      event.earliestPlannedLodging === null ||
      event.earliestPlannedLodging.start_date >= event.date,
  },
  actions: {
    cancelPlannedLodgings: () => {},
    cancelProposedJourneys: () => {},
    refreshAllocation: () => {},
    notify: (_, _params: { kind: MoveNotification }) => {},
  },
}).createMachine({
  id: 'move',
  initial: 'proposed',
  states: {
    proposed: {
      on: {
        approve: {
          target: 'requested',
          guard: 'lodgingsNotBeforeDate',
          actions: ['cancelProposedJourneys', 'refreshAllocation', notify('update_move_status')],
        },
        reject: { target: 'cancelled', actions: ['refreshAllocation'] },
        cancel: { target: 'cancelled', actions: ['refreshAllocation'] },
        redirect: 'proposed',
        update: { target: 'proposed', actions: ['refreshAllocation'] },
        redate: { target: 'proposed', guard: 'lodgingsNotBeforeDate', actions: ['cancelProposedJourneys'] },
        plan_lodging: 'proposed',
      },
    },
    requested: {
      on: {
        accept: { target: 'booked', actions: [...STATUS_CHANGE] },
        reject: { target: 'cancelled', actions: [...STATUS_CHANGE] },
        cancel: { target: 'cancelled', actions: [...STATUS_CHANGE] },
        redate: redate('requested'),
        ...live('requested'),
      },
    },
    booked: {
      on: {
        start: { target: 'in_transit', actions: [...STATUS_CHANGE] },
        cancel: { target: 'cancelled', actions: [...STATUS_CHANGE] },
        lockout: { actions: UPDATE },
        redate: redate('booked'),
        ...live('booked'),
      },
    },
    in_transit: {
      on: {
        complete: { target: 'completed', guard: 'notLodged', actions: [...STATUS_CHANGE] },
        cancel: { target: 'cancelled', actions: [...STATUS_CHANGE] },
        lockout: { target: 'in_transit', actions: UPDATE },
        ...live('in_transit'),
      },
    },
    completed: {
      entry: ['cancelPlannedLodgings'],
      on: {
        cancel: { target: 'cancelled', actions: [...STATUS_CHANGE] },
        update: { target: 'completed', actions: [...UPDATE, 'refreshAllocation'] },
      },
    },
    cancelled: {
      entry: ['cancelPlannedLodgings'],
      on: { update: { target: 'cancelled', actions: [...UPDATE, 'refreshAllocation'] } },
    },
  },
})

/** The event with no facts barring it: what the transition table alone allows. */
function unguarded(event: MoveEventName): MoveEvent {
  if (event === 'complete') return { type: event, startedLodgingId: null }
  if (event === 'redate' || event === 'approve') return { type: event, date: '', earliestPlannedLodging: null }
  return { type: event }
}

export type MoveDecision =
  { allowed: true; status: MoveStatus; effects: MoveEffect[] } | { allowed: false; refusal: MoveRefusal }

const REFUSALS: Record<string, MoveRefusal> = { notLodged: 'lodged', lodgingsNotBeforeDate: 'lodging_before_date' }

/**
 * Runs one event from `status`: the next status and the effects the use case must carry out, or
 * why not (the guard that barred it, or not_allowed when the status does not take the event).
 */
export function decideMove(status: MoveStatus, event: MoveEvent): MoveDecision {
  const snapshot = moveMachine.resolveState({ value: status, context: {} })
  if (!snapshot.can(event)) {
    const config = moveMachine.config.states?.[status]?.on as Record<string, { guard?: string }> | undefined
    const guard = config?.[event.type]?.guard
    return { allowed: false, refusal: (guard && REFUSALS[guard]) || 'not_allowed' }
  }
  const [next, actions] = transition(moveMachine, snapshot, event)
  return {
    allowed: true,
    status: next.value as MoveStatus,
    effects: actions.map(a => (a.params ? { type: a.type, params: a.params } : { type: a.type }) as MoveEffect),
  }
}

/** The status after `event`, or null when the machine does not allow it from `status`. */
export function nextMoveStatus(status: MoveStatus, event: MoveEventName | MoveEvent): MoveStatus | null {
  const decision = decideMove(status, typeof event === 'string' ? unguarded(event) : event)
  return decision.allowed ? decision.status : null
}
