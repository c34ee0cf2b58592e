import { expect } from 'chai'
import { getShortestPaths, getSimplePaths } from 'xstate/graph'
import {
  ASSESSMENT_STATUSES,
  assessmentMachine,
  decideAssessment,
  type Answered,
  type AssessmentEvent,
  type AssessmentStatus,
} from '../../machines/assessment'

/** Every event an assessment can be sent, with each combination of the facts its guards read. */
const EVERY_EVENT: AssessmentEvent[] = [
  ...(['none', 'some', 'all'] as Answered[]).flatMap(answered =>
    [false, true].map(everCompleted => ({ type: 'respond' as const, answered, everCompleted })),
  ),
  { type: 'handover' },
  { type: 'confirm' },
]

const label = (event: AssessmentEvent) =>
  event.type === 'respond' ? `respond(${event.answered}${event.everCompleted ? ', amended' : ''})` : event.type

describe('Assessment machine', () => {
  it('when walked with every event, then it reaches each status, confirmed only through completed', () => {
    const byState = new Map(
      getShortestPaths(assessmentMachine, { events: EVERY_EVENT }).map(p => [
        p.state.value as AssessmentStatus,
        p.steps.slice(1).map(s => label(s.event as AssessmentEvent)),
      ]),
    )
    expect([...byState.keys()]).to.have.members([...ASSESSMENT_STATUSES])
    expect(byState.get('in_progress')).to.have.length(1)
    expect(byState.get('completed')).to.deep.equal(['respond(all)'])
    expect(byState.get('confirmed')).to.have.length(2)
    expect(byState.get('confirmed')![0]).to.equal('respond(all)')
  })

  it('when every simple path is replayed through decideAssessment, then each step lands where the machine went', () => {
    const paths = getSimplePaths(assessmentMachine, { events: EVERY_EVENT })
    expect(paths.length).to.be.greaterThan(4)
    for (const path of paths) {
      let status: AssessmentStatus = 'not_started'
      for (const step of path.steps.slice(1)) {
        const decision = decideAssessment(status, step.event as AssessmentEvent)
        expect(decision.allowed, `${label(step.event as AssessmentEvent)} from ${status}`).to.equal(true)
        if (!decision.allowed) return
        expect(decision.status).to.equal(step.state.value)
        status = decision.status
      }
      if (path.state.value === 'confirmed') expect(path.steps.at(-2)!.state.value).to.equal('completed')
    }
  })

  it('when an assessment is not_started, then nothing takes it back there once a response is answered', () => {
    for (const status of ['in_progress', 'completed'] as const) {
      for (const event of EVERY_EVENT.filter(e => e.type === 'respond')) {
        const decision = decideAssessment(status, event)
        if (decision.allowed) expect(decision.status, `${label(event)} from ${status}`).not.to.equal('not_started')
      }
    }
    expect(decideAssessment('not_started', { type: 'respond', answered: 'none', everCompleted: false })).to.deep.equal({
      allowed: true,
      status: 'not_started',
      effects: [],
    })
  })

  it('when every visible response is first answered, then it completes, recording the completion and telling the suppliers', () => {
    for (const from of ['not_started', 'in_progress'] as const) {
      expect(decideAssessment(from, { type: 'respond', answered: 'all', everCompleted: false })).to.deep.equal({
        allowed: true,
        status: 'completed',
        effects: [{ type: 'recordCompletion' }, { type: 'notify', params: { kind: 'complete' } }],
      })
    }
  })

  it('when a completed assessment is amended, then it is recorded as an amendment and goes back to in_progress while a response is unanswered', () => {
    const amended = [{ type: 'recordAmendment' }, { type: 'notify', params: { kind: 'amend' } }]
    expect(decideAssessment('completed', { type: 'respond', answered: 'all', everCompleted: true })).to.deep.equal({
      allowed: true,
      status: 'completed',
      effects: amended,
    })
    expect(decideAssessment('completed', { type: 'respond', answered: 'some', everCompleted: true })).to.deep.equal({
      allowed: true,
      status: 'in_progress',
      effects: amended,
    })
    expect(decideAssessment('in_progress', { type: 'respond', answered: 'all', everCompleted: true })).to.deep.equal({
      allowed: true,
      status: 'completed',
      effects: amended,
    })
  })

  it('when an assessment is not completed, then it cannot be confirmed or handed over', () => {
    for (const status of ['not_started', 'in_progress'] as const) {
      for (const type of ['handover', 'confirm'] as const) {
        expect(decideAssessment(status, { type }), `${type} from ${status}`).to.deep.equal({
          allowed: false,
          refusal: 'not_allowed',
        })
      }
    }
  })

  it('when a completed assessment is handed over or confirmed, then it is confirmed with the matching record and notification', () => {
    expect(decideAssessment('completed', { type: 'handover' })).to.deep.equal({
      allowed: true,
      status: 'confirmed',
      effects: [{ type: 'recordHandover' }, { type: 'notify', params: { kind: 'handover' } }],
    })
    expect(decideAssessment('completed', { type: 'confirm' })).to.deep.equal({
      allowed: true,
      status: 'confirmed',
      effects: [{ type: 'recordConfirmation' }, { type: 'notify', params: { kind: 'confirm' } }],
    })
  })

  it('when an assessment is confirmed, then every event is refused as confirmed', () => {
    for (const event of EVERY_EVENT) {
      expect(decideAssessment('confirmed', event), label(event)).to.deep.equal({ allowed: false, refusal: 'confirmed' })
    }
  })
})
