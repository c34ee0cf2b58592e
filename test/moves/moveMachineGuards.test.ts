import { expect } from 'chai'
import { getShortestPaths } from 'xstate/graph'
import { MOVE_EVENTS, decideMove, moveMachine, type MoveEvent, type MoveStatus } from '../../machines/move'

/** Every move event, the guarded ones carrying the facts given. */
function events(facts: {
  startedLodgingId?: string | null
  earliestPlannedLodging?: { id: string; start_date: string } | null
  date?: string
}): MoveEvent[] {
  return MOVE_EVENTS.map(type =>
    type === 'complete'
      ? { type, startedLodgingId: facts.startedLodgingId ?? null }
      : type === 'approve' || type === 'redate'
        ? { type, date: facts.date ?? '2031-01-10', earliestPlannedLodging: facts.earliestPlannedLodging ?? null }
        : { type },
  )
}

const reachable = (list: MoveEvent[]) => getShortestPaths(moveMachine, { events: list }).map(p => p.state.value)
const effectTypes = (status: MoveStatus, event: MoveEvent) => {
  const decision = decideMove(status, event)
  if (!decision.allowed) throw new Error(`${event.type} refused from ${status}`)
  return decision.effects.map(e => (e.type === 'notify' ? `notify:${e.params.kind}` : e.type))
}

describe('Move machine guards and declared effects', () => {
  it('when the person is still at an overnight stay, then complete is refused as lodged and completed is unreachable', () => {
    expect(decideMove('in_transit', { type: 'complete', startedLodgingId: 'stay-1' })).to.deep.equal({
      allowed: false,
      refusal: 'lodged',
    })
    expect(reachable(events({ startedLodgingId: 'stay-1' }))).to.not.include('completed')
    expect(reachable(events({}))).to.include('completed')
  })

  it('when a planned stay begins before the new date, then redate and approve are refused, and not when it begins on it', () => {
    const lodging = { id: 'stay-1', start_date: '2031-01-09' }
    for (const status of ['proposed', 'requested', 'booked'] as const) {
      expect(decideMove(status, { type: 'redate', date: '2031-01-10', earliestPlannedLodging: lodging })).to.deep.equal(
        { allowed: false, refusal: 'lodging_before_date' },
      )
      expect(
        decideMove(status, { type: 'redate', date: '2031-01-09', earliestPlannedLodging: lodging }).allowed,
      ).to.equal(true)
    }
    expect(
      decideMove('proposed', { type: 'approve', date: '2031-01-10', earliestPlannedLodging: lodging }),
    ).to.deep.equal({ allowed: false, refusal: 'lodging_before_date' })
    expect(reachable(events({ earliestPlannedLodging: lodging }))).to.have.members(['proposed', 'cancelled'])
  })

  it('when the move is under way or over, then its date cannot change, whatever its stays', () => {
    for (const status of ['in_transit', 'completed', 'cancelled'] as const) {
      const decision = decideMove(status, { type: 'redate', date: '2031-01-10', earliestPlannedLodging: null })
      expect(decision, status).to.deep.equal({ allowed: false, refusal: 'not_allowed' })
    }
  })

  it('when the move is completed or cancelled, then no stay can be planned or changed on it', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      expect(decideMove(status, { type: 'plan_lodging' }).allowed, status).to.equal(false)
    }
    for (const status of ['proposed', 'requested', 'booked', 'in_transit'] as const) {
      expect(decideMove(status, { type: 'plan_lodging' }).allowed, status).to.equal(true)
    }
  })

  it('when a move ends (cancelled, rejected or completed), then its planned stays are called off and the allocation refreshed', () => {
    expect(effectTypes('requested', { type: 'cancel' })).to.have.members([
      'refreshAllocation',
      'notify:update_move_status',
      'cancelPlannedLodgings',
    ])
    expect(effectTypes('requested', { type: 'reject' })).to.include('cancelPlannedLodgings')
    expect(effectTypes('in_transit', { type: 'complete', startedLodgingId: null })).to.include('cancelPlannedLodgings')
    expect(effectTypes('booked', { type: 'start' })).to.not.include('cancelPlannedLodgings')
  })

  it('when a proposed move changes, then nobody is notified until it is approved, which announces it', () => {
    expect(effectTypes('proposed', { type: 'cancel' })).to.not.include('notify:update_move_status')
    expect(effectTypes('proposed', { type: 'reject' })).to.not.include('notify:update_move_status')
    expect(effectTypes('proposed', { type: 'redirect' })).to.deep.equal([])
    expect(
      effectTypes('proposed', { type: 'approve', date: '2031-01-10', earliestPlannedLodging: null }),
    ).to.include.members(['cancelProposedJourneys', 'notify:update_move_status'])
  })

  it('when the date changes, then proposed journeys are cancelled and subscribers hear of it as update_move', () => {
    expect(effectTypes('booked', { type: 'redate', date: '2031-01-10', earliestPlannedLodging: null })).to.have.members(
      ['cancelProposedJourneys', 'refreshAllocation', 'notify:update_move'],
    )
  })

  it('when a move is redirected, then the redirect notification (old and new destination suppliers) is declared', () => {
    for (const status of ['requested', 'booked', 'in_transit'] as const) {
      expect(effectTypes(status, { type: 'redirect' }), status).to.deep.equal(['notify:redirect'])
    }
  })
})
