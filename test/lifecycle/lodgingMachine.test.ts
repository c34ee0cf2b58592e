import { expect } from 'chai'
import { getShortestPaths, getSimplePaths } from 'xstate/graph'
import {
  LODGING_EVENTS,
  LODGING_STATES,
  lodgingMachine,
  nextLodgingState,
  type LodgingEventName,
  type LodgingState,
} from '../../machines/lodging'

const table: Record<LodgingState, Partial<Record<LodgingEventName, LodgingState>>> = {
  proposed: { start: 'started', cancel: 'cancelled' },
  started: { complete: 'completed' },
  completed: {},
  cancelled: {},
}

describe('Book a Secure Move lodging machine', () => {
  for (const state of LODGING_STATES) {
    for (const event of LODGING_EVENTS) {
      const expected = table[state][event] ?? null
      it(`${event} from ${state} ${expected ? `goes to ${expected}` : 'is refused'}`, () => {
        expect(nextLodgingState(state, event)).to.equal(expected)
      })
    }
  }

  it('has exactly two simple paths from proposed: start then complete, and cancel', () => {
    const paths = getSimplePaths(lodgingMachine, { events: LODGING_EVENTS.map(type => ({ type })) })
    const walks = paths.map(p =>
      p.steps
        .slice(1)
        .map(s => s.event.type)
        .join(' → '),
    )
    expect(walks).to.have.members(['', 'start', 'start → complete', 'cancel'])
    for (const path of paths) {
      let state: LodgingState = 'proposed'
      for (const step of path.steps.slice(1)) {
        const next: LodgingState | undefined = table[state][step.event.type]
        expect(next, `${step.event.type} from ${state}`).to.equal(step.state.value)
        state = next!
      }
    }
  })

  it('reaches completed only through started, and cancelled only from proposed', () => {
    const byState = new Map(
      getShortestPaths(lodgingMachine).map(p => [p.state.value, p.steps.slice(1).map(s => s.event.type)]),
    )
    expect(byState.get('completed')).to.deep.equal(['start', 'complete'])
    expect(byState.get('cancelled')).to.deep.equal(['cancel'])
    expect(nextLodgingState('started', 'cancel')).to.equal(null)
  })
})
