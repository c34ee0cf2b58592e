import { expect } from 'chai'
import { getShortestPaths, getSimplePaths } from 'xstate/graph'
import {
  decideJourney,
  JOURNEY_EVENTS,
  JOURNEY_STATES,
  journeyMachine,
  nextJourneyState,
  type JourneyEventName,
  type JourneyState,
} from '../../machines/journey'

const table: Record<JourneyState, Partial<Record<JourneyEventName, JourneyState>>> = {
  proposed: { start: 'in_progress', reject: 'rejected' },
  in_progress: { complete: 'completed', cancel: 'cancelled', lockout: 'in_progress', lodging: 'in_progress' },
  completed: { uncomplete: 'in_progress' },
  cancelled: { uncancel: 'in_progress' },
  rejected: {},
}

describe('Book a Secure Move journey machine', () => {
  for (const state of JOURNEY_STATES) {
    for (const event of JOURNEY_EVENTS) {
      const expected = table[state][event] ?? null
      it(`${event} from ${state} ${expected ? `goes to ${expected}` : 'is refused'}`, () => {
        expect(nextJourneyState(state, event)).to.equal(expected)
      })
    }
  }

  it('every simple path from proposed follows the transition table, and reaches every state', () => {
    const paths = getSimplePaths(journeyMachine, { events: JOURNEY_EVENTS.map(type => ({ type })) })
    expect([...new Set(paths.map(p => p.state.value))]).to.have.members([...JOURNEY_STATES])
    for (const path of paths) {
      let state: JourneyState = 'proposed'
      for (const step of path.steps.slice(1)) {
        const next: JourneyState | undefined = table[state][step.event.type as JourneyEventName]
        expect(next, `${step.event.type} from ${state}`).to.equal(step.state.value)
        state = next!
      }
      expect(state).to.equal(path.state.value)
    }
  })

  it('when clients drive it, then it reaches completed only by starting, and rejected only from proposed', () => {
    const shortest = getShortestPaths(journeyMachine, { events: JOURNEY_EVENTS.map(type => ({ type })) })
    const byState = new Map(shortest.map(p => [p.state.value, p.steps.slice(1).map(s => s.event.type)]))
    expect(byState.get('completed')).to.deep.equal(['start', 'complete'])
    expect(byState.get('rejected')).to.deep.equal(['reject'])
    expect(byState.get('cancelled')).to.deep.equal(['start', 'cancel'])
  })

  it('when a journey takes any event, then the machine declares that the move’s subscribers are told', () => {
    for (const state of JOURNEY_STATES) {
      for (const event of JOURNEY_EVENTS) {
        const decision = decideJourney(state, event)
        if (decision) expect(decision.effects, `${event} from ${state}`).to.deep.equal([{ type: 'notifyMove' }])
      }
    }
  })
})

describe('Book a Secure Move journey machine: a move’s new date', () => {
  it('when the move of a proposed journey changes date, then the journey is cancelled', () => {
    expect(decideJourney('proposed', 'move_redated')?.status).to.equal('cancelled')
  })

  it('when the journey is under way, finished or rejected, then the move’s new date does not touch it', () => {
    for (const state of JOURNEY_STATES.filter(s => s !== 'proposed')) {
      expect(decideJourney(state, 'move_redated'), state).to.equal(null)
    }
  })
})
