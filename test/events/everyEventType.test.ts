import { expect } from 'chai'
import { POSTABLE_EVENT_TYPES, eventTypeSpec, type EventTypeSpec } from '../../lib/events/catalogue'
import { as } from '../support/app'
import { aJourney, aLodging, aMove, key, location, moveEvent, post } from '../support/builders'
import { anAssessment } from '../support/assessments'
import { validEventBody, type EventRefs } from '../support/eventBodies'
import { testWorld, type World } from '../support/world'

/**
 * Every type POST /api/events takes, posted once with a valid body (test/support/eventBodies.ts) by the
 * frontend, which may post any type: the stored event, its classification and eventable, and what it
 * changed (status, state, attributes). The refusals of each type are the contract's
 * (test/events/eventContract.test.ts). The PER types go to a person escort record of the quiet move.
 */
describe('Events: every event type, posted with a valid body', function () {
  this.timeout(120_000)
  let world: World
  /** A move and journey no event below changes, for the types that change nothing. */
  let quiet: EventRefs

  before(async () => {
    world = await testWorld()
    const move = await aMove(world)
    const journey = await aJourney(world, move.id)
    const per = await anAssessment(world, { moveId: move.id })
    quiet = { move: move.id, journey: journey.id, per: per.id, location: await location(world, 'iwi') }
  })

  const db = () => world.services.db
  const moveOf = (id: string) =>
    db()('moves').where({ id }).first('status', db().raw('date::text as date'), 'to_location_id', 'is_lockout')
  const journeyOf = (id: string) => db()('journeys').where({ id }).first('state', 'vehicle')
  const send = (body: unknown) =>
    as(world.app, world.frontend)
      .post('/api/events')
      .set('Idempotency-Key', key())
      .send(body as object)

  /** A requested move (proposed with `proposed`), moved on by `events` (accept, start…) as its supplier. */
  const moveAt = async (events: string[], options: { proposed?: boolean } = {}) => {
    const move = await aMove(world, options.proposed ? { status: 'proposed' } : {})
    for (const event of events) await moveEvent(world, world.geoamey, move.id, event).expect(204)
    return move
  }
  /** A journey of a fresh move, moved on by `events` (start, complete, cancel). */
  const journeyAt = async (events: string[]) => {
    const move = await aMove(world)
    const journey = await aJourney(world, move.id)
    for (const event of events) {
      await post(world, world.frontend, `/api/moves/${move.id}/journeys/${journey.id}/${event}`)
        .send({ data: { type: `${event}s`, attributes: { timestamp: '2031-01-01T09:00:00Z' } } })
        .expect(204)
    }
    return { move, journey }
  }

  /** What a state-changing type needs before it is posted, and what it must have changed after. */
  type Case = { refs: EventRefs; at?: string; changed: () => Promise<unknown> }
  const moveCase = async (events: string[], expected: Record<string, unknown>, proposed = false): Promise<Case> => {
    const move = await moveAt(events, { proposed })
    return {
      refs: { ...quiet, move: move.id },
      changed: async () => expect(await moveOf(move.id)).to.include(expected),
    }
  }
  const journeyCase = async (events: string[], state: string, registration?: string): Promise<Case> => {
    const { move, journey } = await journeyAt(events)
    return {
      refs: { ...quiet, move: move.id, journey: journey.id },
      changed: async () => {
        const row = await journeyOf(journey.id)
        expect(row.state).to.equal(state)
        if (registration) expect(row.vehicle.registration).to.equal(registration)
      },
    }
  }
  const lodgingCase = async (started: boolean, status: string): Promise<Case> => {
    const move = await aMove(world)
    const lodging = await aLodging(world, move, { at: 'iwi' })
    for (const event of ['accept', 'start']) await moveEvent(world, world.geoamey, move.id, event).expect(204)
    if (started) {
      await post(world, world.frontend, `/api/moves/${move.id}/lodgings/${lodging.id}/start`)
        .send({ data: { type: 'starts', attributes: { timestamp: `${move.date}T19:00:00Z` } } })
        .expect(204)
    }
    return {
      refs: { ...quiet, move: move.id },
      at: `${move.date}T19:30:00Z`,
      changed: async () =>
        expect((await db()('lodgings').where({ id: lodging.id }).first('status')).status).to.equal(status),
    }
  }

  const CASES: Record<string, () => Promise<Case>> = {
    MoveAccept: () => moveCase([], { status: 'booked' }),
    MoveApprove: () => moveCase([], { status: 'requested', date: '2031-01-02' }, true),
    MoveCancel: () => moveCase([], { status: 'cancelled' }),
    MoveReject: () => moveCase([], { status: 'cancelled' }),
    MoveStart: () => moveCase(['accept'], { status: 'in_transit' }),
    MoveComplete: () => moveCase(['accept', 'start'], { status: 'completed' }),
    MoveLockout: () => moveCase(['accept'], { status: 'booked', is_lockout: true }),
    MoveRedirect: async () => {
      const c = await moveCase([], { status: 'requested' })
      const leeds = await location(world, 'lei')
      return {
        refs: { ...c.refs, locations: { to_location: leeds } },
        changed: async () => expect((await moveOf(c.refs.move)).to_location_id).to.equal(leeds),
      }
    },
    MoveLodgingStart: () => lodgingCase(false, 'started'),
    MoveLodgingEnd: () => lodgingCase(true, 'completed'),
    JourneyStart: () => journeyCase([], 'in_progress', 'AB12 CDE'),
    JourneyReject: () => journeyCase([], 'rejected'),
    JourneyComplete: () => journeyCase(['start'], 'completed', 'AB12 CDE'),
    JourneyCancel: () => journeyCase(['start'], 'cancelled'),
    JourneyLockout: () => journeyCase(['start'], 'in_progress'),
    JourneyLodging: () => journeyCase(['start'], 'in_progress'),
    JourneyUncancel: () => journeyCase(['start', 'cancel'], 'in_progress'),
    JourneyUncomplete: () => journeyCase(['start', 'complete'], 'in_progress'),
    JourneyChangeVehicle: () => journeyCase([], 'proposed', 'AB12 CDE'),
  }

  it('when the table is read, then every type that changes state has its case', () => {
    const changing = POSTABLE_EVENT_TYPES.filter(spec => spec.changesState).map(spec => spec.eventType)
    expect(changing.filter(type => !CASES[type])).to.deep.equal([])
  })

  for (const spec of POSTABLE_EVENT_TYPES) {
    it(`when ${spec.eventType} is posted, then it is stored with its classification and effect`, async () => {
      const prepared = CASES[spec.eventType] ? await CASES[spec.eventType]!() : undefined
      const body = validEventBody(spec.eventType, prepared?.refs ?? quiet) as {
        data: { attributes: Record<string, unknown> }
      }
      if (prepared?.at) Object.assign(body.data.attributes, { occurred_at: prepared.at, recorded_at: prepared.at })
      const res = await send(body)
      expect(res.status, JSON.stringify(res.body.errors)).to.equal(201)
      await expectStored(world, spec, res.body.data.id)
      expect(res.body.data.attributes.classification).to.equal(spec.classification)
      await prepared?.changed()
    })
  }
})

/** The stored row: its type (a legacy type as the one it is stored as), classification and eventable. */
async function expectStored(world: World, spec: EventTypeSpec, id: string) {
  const row = await world.services.db('move_events').where({ id }).first()
  const storedAs = eventTypeSpec(spec.storedAs ?? spec.eventType)!
  expect(row).to.include({
    event_type: storedAs.eventType,
    classification: storedAs.classification,
    eventable_type: spec.eventables[0],
  })
  expect(row.move_id).to.be.a('string')
}
