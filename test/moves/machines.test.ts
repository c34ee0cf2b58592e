import { expect } from 'chai'
import { getSimplePaths } from 'xstate/graph'
import {
  ALLOCATION_STATUSES,
  allocationMachine,
  nextAllocationStatus,
  refreshedAllocationStatus,
  type AllocationEventName,
  type AllocationStatus,
} from '../../machines/allocation'
import {
  MOVE_EVENTS,
  MOVE_STATUSES,
  moveMachine,
  nextMoveStatus,
  type MoveEvent,
  type MoveStatus,
} from '../../machines/move'

const changes = (status: MoveStatus) => ({ redate: status, update: status, plan_lodging: status })
const moveTable: Record<MoveStatus, Partial<Record<(typeof MOVE_EVENTS)[number], MoveStatus>>> = {
  proposed: {
    approve: 'requested',
    reject: 'cancelled',
    cancel: 'cancelled',
    redirect: 'proposed',
    ...changes('proposed'),
  },
  requested: {
    accept: 'booked',
    reject: 'cancelled',
    cancel: 'cancelled',
    redirect: 'requested',
    ...changes('requested'),
  },
  booked: { start: 'in_transit', cancel: 'cancelled', redirect: 'booked', lockout: 'booked', ...changes('booked') },
  in_transit: {
    complete: 'completed',
    cancel: 'cancelled',
    redirect: 'in_transit',
    lockout: 'in_transit',
    update: 'in_transit',
    plan_lodging: 'in_transit',
  },
  completed: { cancel: 'cancelled', update: 'completed' },
  cancelled: { update: 'cancelled' },
}

/** Each event with facts that bar nothing: no stay under way, none planned. */
const EVENTS: MoveEvent[] = MOVE_EVENTS.map(type =>
  type === 'complete'
    ? { type, startedLodgingId: null }
    : type === 'approve' || type === 'redate'
      ? { type, date: '2031-01-01', earliestPlannedLodging: null }
      : { type },
)

const allocationTable: Record<AllocationStatus, Partial<Record<AllocationEventName, AllocationStatus>>> = {
  unfilled: { fill: 'filled', cancel: 'cancelled', update: 'unfilled' },
  filled: { unfill: 'unfilled', cancel: 'cancelled', update: 'filled' },
  cancelled: {},
}

describe('Book a Secure Move state machines', () => {
  describe('move', () => {
    for (const status of MOVE_STATUSES) {
      for (const event of MOVE_EVENTS) {
        const expected = moveTable[status][event] ?? null
        it(`${event} from ${status} ${expected ? `goes to ${expected}` : 'is refused'}`, () => {
          expect(nextMoveStatus(status, event)).to.equal(expected)
        })
      }
    }

    it('every simple path from proposed follows the transition table step by step', () => {
      const paths = getSimplePaths(moveMachine, { events: EVENTS })
      expect([...new Set(paths.map(p => p.state.value))]).to.have.members([...MOVE_STATUSES])
      for (const path of paths) {
        let status: MoveStatus = 'proposed'
        for (const step of path.steps.slice(1)) {
          const next: MoveStatus | undefined = moveTable[status][step.event.type]
          expect(next, `${step.event.type} from ${status}`).to.equal(step.state.value)
          status = next!
        }
        expect(status).to.equal(path.state.value)
      }
    })

    it('reaches completed only through requested, booked and in_transit', () => {
      const toCompleted = getSimplePaths(moveMachine, { events: EVENTS }).filter(p => p.state.value === 'completed')
      expect(toCompleted).to.have.length(1)
      expect(toCompleted[0]!.steps.slice(1).map(s => s.event.type)).to.deep.equal([
        'approve',
        'accept',
        'start',
        'complete',
      ])
    })
  })

  describe('allocation', () => {
    for (const status of ALLOCATION_STATUSES) {
      for (const event of ['fill', 'unfill', 'cancel', 'update'] as const) {
        const expected = allocationTable[status][event] ?? null
        it(`${event} from ${status} ${expected ? `goes to ${expected}` : 'is refused'}`, () => {
          expect(nextAllocationStatus(status, event)).to.equal(expected)
        })
      }
    }

    it('every simple path from unfilled follows the transition table', () => {
      const paths = getSimplePaths(allocationMachine)
      expect([...new Set(paths.map(p => p.state.value))]).to.have.members([...ALLOCATION_STATUSES])
      for (const path of paths) {
        let status: AllocationStatus = 'unfilled'
        for (const step of path.steps.slice(1)) {
          status = allocationTable[status][step.event.type]!
          expect(status).to.equal(step.state.value)
        }
      }
    })

    const refreshCases: [AllocationStatus, number, number, AllocationStatus][] = [
      ['unfilled', 2, 0, 'filled'],
      ['unfilled', 2, 1, 'unfilled'],
      ['unfilled', 0, 0, 'unfilled'],
      ['filled', 2, 0, 'filled'],
      ['filled', 2, 1, 'unfilled'],
      ['filled', 0, 0, 'unfilled'],
      ['cancelled', 2, 0, 'cancelled'],
      ['cancelled', 2, 2, 'cancelled'],
    ]
    for (const [status, live, withoutProfile, expected] of refreshCases) {
      it(`is ${expected} when ${status} with ${live} live moves of which ${withoutProfile} lack a profile`, () => {
        expect(refreshedAllocationStatus(status, { live, withoutProfile })).to.equal(expected)
      })
    }
  })
})
