import { setup, transition } from 'xstate'

/** An assessment's statuses, as stored and answered (the reference's `unstarted` is `not_started` throughout). */
export const ASSESSMENT_STATUSES = ['not_started', 'in_progress', 'completed', 'confirmed'] as const
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number]

/**
 * The events an assessment takes:
 * - `respond`: responses were written (one, or a section in bulk); the use case has worked out the
 *   progress over the visible responses afterwards and puts it in the event;
 * - `handover`: a person escort record is confirmed by its PATCH, the person handed to the escort;
 * - `confirm`: confirmed without a handover (a youth risk assessment's PATCH, or a person escort record
 *   when its move starts).
 */
export const ASSESSMENT_EVENTS = ['respond', 'handover', 'confirm'] as const
export type AssessmentEventName = (typeof ASSESSMENT_EVENTS)[number]

/** How many of the visible responses have been answered after a write. */
export type Answered = 'none' | 'some' | 'all'

/**
 * `respond` carries the facts its guards read: the progress after the write, and whether the assessment
 * was ever completed (a later write is an amendment, whatever the status it is in now).
 */
export type AssessmentEvent =
  | { type: 'respond'; answered: Answered; everCompleted: boolean }
  | { type: Exclude<AssessmentEventName, 'respond'> }

/** The notification a transition announces to the move's suppliers (lib/notifications turns it into a type per kind). */
export type AssessmentNotification = 'complete' | 'amend' | 'confirm' | 'handover'

/**
 * What a transition asks the use case to do besides setting the status: stamp and record the first
 * completion (completed_at, a completion event), an amendment (amended_at, an update event), a
 * confirmation (confirmed_at, a confirmation event) or a handover (confirmed_at, handover details, a
 * handover event); and notify.
 */
export type AssessmentEffect =
  | { type: 'recordCompletion' }
  | { type: 'recordAmendment' }
  | { type: 'recordConfirmation' }
  | { type: 'recordHandover' }
  | { type: 'notify'; params: { kind: AssessmentNotification } }

/** Why the machine refused: the assessment is confirmed (nothing changes it any more), or the status does not take the event. */
export type AssessmentRefusal = 'confirmed' | 'not_allowed'

const notify = (kind: AssessmentNotification) => ({ type: 'notify', params: { kind } }) as const

/**
 * Where a write leaves an assessment, from any status but confirmed: completed once every visible
 * response is answered; a write after the first completion is an amendment (recorded, and the
 * suppliers told), which takes a completed assessment back to in progress when a response it
 * uncovered (a dependent shown by the new answer) is still to be answered. There is no way back to
 * not_started: a self-transition names its own status, since xstate ignores an empty one.
 */
const respond = (status: 'not_started' | 'in_progress') =>
  [
    { target: 'completed', guard: 'firstCompletion', actions: ['recordCompletion', notify('complete')] },
    { target: 'completed', guard: 'completedAgain', actions: ['recordAmendment', notify('amend')] },
    { target: 'in_progress', guard: 'amendedIncomplete', actions: ['recordAmendment', notify('amend')] },
    { target: 'in_progress', guard: 'someAnswered' },
    { target: status },
  ] as const

/**
 * The reference's framework assessment machine (person escort records and youth risk assessments
 * alike): not_started → in_progress → completed → confirmed. Confirmed is final: no response, status
 * or handover changes a confirmed assessment. Only a completed assessment can be confirmed.
 */
export const assessmentMachine = setup({
  types: {} as { events: AssessmentEvent },
  guards: {
    firstCompletion: ({ event }) => event.type === 'respond' && event.answered === 'all' && !event.everCompleted,
    completedAgain: ({ event }) => event.type === 'respond' && event.answered === 'all' && event.everCompleted,
    amendedIncomplete: ({ event }) => event.type === 'respond' && event.answered !== 'all' && event.everCompleted,
    someAnswered: ({ event }) => event.type === 'respond' && event.answered !== 'none',
  },
  actions: {
    recordCompletion: () => {},
    recordAmendment: () => {},
    recordConfirmation: () => {},
    recordHandover: () => {},
    notify: (_, _params: { kind: AssessmentNotification }) => {},
  },
}).createMachine({
  id: 'assessment',
  initial: 'not_started',
  states: {
    not_started: { on: { respond: respond('not_started') } },
    in_progress: { on: { respond: respond('in_progress') } },
    completed: {
      on: {
        respond: [
          { target: 'completed', guard: 'completedAgain', actions: ['recordAmendment', notify('amend')] },
          { target: 'in_progress', actions: ['recordAmendment', notify('amend')] },
        ],
        handover: { target: 'confirmed', actions: ['recordHandover', notify('handover')] },
        confirm: { target: 'confirmed', actions: ['recordConfirmation', notify('confirm')] },
      },
    },
    confirmed: { type: 'final' },
  },
})

export type AssessmentDecision =
  | { allowed: true; status: AssessmentStatus; effects: AssessmentEffect[] }
  | { allowed: false; refusal: AssessmentRefusal }

/**
 * The one transition function: runs `event` from `status`, answering the next status and the effects
 * the use case must carry out, or why not.
 */
export function decideAssessment(status: AssessmentStatus, event: AssessmentEvent): AssessmentDecision {
  const snapshot = assessmentMachine.resolveState({ value: status, context: {} })
  if (!snapshot.can(event)) return { allowed: false, refusal: status === 'confirmed' ? 'confirmed' : 'not_allowed' }
  const [next, actions] = transition(assessmentMachine, snapshot, event)
  return {
    allowed: true,
    status: next.value as AssessmentStatus,
    effects: actions.map(a => (a.params ? { type: a.type, params: a.params } : { type: a.type }) as AssessmentEffect),
  }
}
