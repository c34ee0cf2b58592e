import { expect } from 'chai'
import { getShortestPaths, getSimplePaths } from 'xstate/graph'
import {
  decideLodging,
  LODGING_EVENTS,
  LODGING_STATES,
  lodgingMachine,
  nextLodgingState,
  type LodgingEvent,
  type LodgingEventName,
  type LodgingState,
} from '../../machines/lodging'

const table: Record<LodgingState, Partial<Record<LodgingEventName, LodgingState>>> = {
  proposed: { start: 'started', cancel: 'cancelled', relocate: 'proposed', reschedule: 'proposed' },
  started: { complete: 'completed', reschedule: 'started' },
  completed: {},
  cancelled: {},
}

/** Each event as it comes while the move is under way, so that no guard bars it. */
const underWay = (type: LodgingEventName): LodgingEvent =>
  type === 'start' ? { type, moveStatus: 'in_transit' } : { type }

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
    const paths = getSimplePaths(lodgingMachine, { events: LODGING_EVENTS.map(type => underWay(type)) })
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
      getShortestPaths(lodgingMachine, { events: LODGING_EVENTS.map(type => underWay(type)) }).map(p => [
        p.state.value,
        p.steps.slice(1).map(s => s.event.type),
      ]),
    )
    expect(byState.get('completed')).to.deep.equal(['start', 'complete'])
    expect(byState.get('cancelled')).to.deep.equal(['cancel'])
    expect(nextLodgingState('started', 'cancel')).to.equal(null)
  })

  it('when the move is not under way, then no stay can start, so none is ever started or completed', () => {
    for (const moveStatus of ['proposed', 'requested', 'booked', 'completed', 'cancelled']) {
      const events = LODGING_EVENTS.map(type => (type === 'start' ? { type, moveStatus } : underWay(type)))
      const reached = getShortestPaths(lodgingMachine, { events }).map(p => p.state.value)
      expect(reached, moveStatus).to.have.members(['proposed', 'cancelled'])
      expect(decideLodging('proposed', { type: 'start', moveStatus })).to.deep.equal({
        allowed: false,
        refusal: 'move_not_in_transit',
      })
    }
    expect(decideLodging('proposed', { type: 'start', moveStatus: 'in_transit' })).to.deep.include({
      allowed: true,
      status: 'started',
    })
  })

  it('when the person is at the stay, then its end date may change but not its location', () => {
    expect(decideLodging('started', { type: 'reschedule' })).to.deep.include({ allowed: true, status: 'started' })
    expect(decideLodging('started', { type: 'relocate' })).to.deep.equal({ allowed: false, refusal: 'not_allowed' })
    for (const settled of ['completed', 'cancelled'] as const) {
      expect(decideLodging(settled, { type: 'reschedule' }).allowed, settled).to.equal(false)
    }
  })

  it('when a stay takes any event, then the machine declares that the move’s subscribers are told', () => {
    for (const state of LODGING_STATES) {
      for (const type of LODGING_EVENTS) {
        const decision = decideLodging(state, underWay(type))
        if (decision.allowed) expect(decision.effects, `${type} from ${state}`).to.deep.equal([{ type: 'notifyMove' }])
      }
    }
  })
})
