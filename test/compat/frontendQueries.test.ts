import { expect } from 'chai'
import type { Express } from 'express'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import {
  key,
  uniqueDate,
  location,
  aPerson,
  aProfile,
  aMove,
  moveEvent,
  assignProfile,
  anAllocation,
} from '../support/builders'
import { locationRef } from '../support/bodies'

type Listed = { body: { data: { id: string; meta?: Record<string, unknown> }[] } }
const ids = (res: Listed) => res.body.data.map(r => r.id)

/** The includes the frontend's move lists ask for (hmpps-book-secure-move-frontend common/services/move). */
const MOVE_LIST_INCLUDE = [
  'from_location',
  'important_events',
  'timeline_events',
  'profile',
  'profile.person',
  'profile.person.gender',
  'profile.person_escort_record.flags',
  'profile.youth_risk_assessment',
  'to_location',
  'lodgings',
].join(',')
const MOVE_LIST_META = 'vehicle_registration,expected_time_of_arrival,expected_collection_time'

/** The frontend's status filter sets, by the list they serve. */
const STATUS_SETS: Record<string, Record<string, string>> = {
  active: { status: 'requested,accepted,booked,in_transit,completed' },
  incomplete: { status: 'requested,accepted,booked', ready_for_transit: 'false' },
  awaiting_collection: { status: 'requested,accepted,booked' },
  ready_for_transit: { status: 'requested,accepted,booked', ready_for_transit: 'true' },
  left_custody: { status: 'in_transit,completed' },
  cancelled: { status: 'cancelled' },
}

describe("compatibility: the frontend's list queries answer 200 with the right rows", () => {
  let world: World
  let app: Express
  let frontend: TestClient
  let date: string
  let bsi: string
  let iwi: string
  const move: Record<'requested' | 'booked' | 'inTransit' | 'completed' | 'cancelled' | 'rejected', string> = {
    requested: '',
    booked: '',
    inTransit: '',
    completed: '',
    cancelled: '',
    rejected: '',
  }

  before(async () => {
    world = await testWorld()
    ;({ app, frontend } = world)
    date = uniqueDate()
    bsi = await location(world, 'bsi')
    iwi = await location(world, 'iwi')
    for (const name of Object.keys(move) as (keyof typeof move)[]) {
      move[name] = (await aMove(world, { date })).id
    }
    for (const id of [move.booked, move.inTransit, move.completed]) {
      await moveEvent(world, frontend, id, 'accept').expect(204)
    }
    for (const id of [move.inTransit, move.completed]) await moveEvent(world, frontend, id, 'start').expect(204)
    await moveEvent(world, frontend, move.completed, 'complete').expect(204)
    await moveEvent(world, frontend, move.cancelled, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
    await moveEvent(world, frontend, move.rejected, 'reject', {
      rejection_reason: 'no_space_at_receiving_prison',
    }).expect(204)
    await as(app, frontend)
      .post(`/api/moves/${move.booked}/journeys`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'journeys',
          attributes: { timestamp: '2031-01-01T09:00:00Z', vehicle: { id: 'v1', registration: 'AB12 CDE' } },
          relationships: { from_location: locationRef(bsi), to_location: locationRef(iwi) },
        },
      })
      .expect(201)
  })

  /** MoveService.getAll: POST /moves/filtered with the filter in the body and paging, include and meta in the query. */
  function frontendMoves(filter: Record<string, string>) {
    return as(app, frontend)
      .post('/api/moves/filtered')
      .query({ include: MOVE_LIST_INCLUDE, meta: MOVE_LIST_META, page: '1', per_page: '100' })
      .send({
        data: {
          type: 'moves',
          attributes: {
            filter: { date_from: date, date_to: date, from_location_id: bsi, to_location_id: iwi, ...filter },
          },
        },
      })
      .expect(200)
  }

  const expected = () => ({
    active: [move.requested, move.booked, move.inTransit, move.completed],
    incomplete: [move.requested, move.booked],
    awaiting_collection: [move.requested, move.booked],
    ready_for_transit: [],
    left_custody: [move.inTransit, move.completed],
    cancelled: [move.cancelled, move.rejected],
  })

  for (const [list, filter] of Object.entries(STATUS_SETS)) {
    it(`when the frontend asks for its ${list} moves, then it gets 200 with exactly those moves`, async () => {
      const res = await frontendMoves(filter)
      expect(ids(res)).to.have.members(expected()[list as keyof ReturnType<typeof expected>])
    })
  }

  it("when the frontend includes the profile's assessments, then the profiles link none and nothing else is included", async () => {
    const res = await frontendMoves(STATUS_SETS.active!)
    const profiles = res.body.included.filter((r: { type: string }) => r.type === 'profiles')
    expect(profiles).to.have.length(4)
    for (const profile of profiles) {
      expect(profile.relationships).to.deep.include({
        person_escort_record: { data: null },
        youth_risk_assessment: { data: null },
      })
    }
    const types = new Set(res.body.included.map((r: { type: string }) => r.type))
    expect([...types]).to.have.members(['profiles', 'people', 'locations', 'events'])
  })

  it('when the frontend asks for meta, then each move carries its vehicle registration and null estimates', async () => {
    const res = await frontendMoves(STATUS_SETS.active!)
    const meta = Object.fromEntries(res.body.data.map((m: { id: string; meta: unknown }) => [m.id, m.meta]))
    expect(meta[move.booked]).to.deep.equal({
      vehicle_registration: 'AB12 CDE',
      expected_time_of_arrival: null,
      expected_collection_time: null,
    })
    expect(meta[move.requested]).to.include({ vehicle_registration: null })
  })

  it('when an unknown meta name is asked for, then the answer is 400 naming it', async () => {
    const res = await as(app, frontend).get('/api/moves').query({ meta: 'colour' }).expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'meta' })
  })

  it('when the frontend filters by cancellation or rejection reason, then only moves with that reason match', async () => {
    expect(ids(await frontendMoves({ cancellation_reason: 'made_in_error' }))).to.deep.equal([move.cancelled])
    expect(ids(await frontendMoves({ rejection_reason: 'no_space_at_receiving_prison' }))).to.deep.equal([
      move.rejected,
    ])
    expect(ids(await frontendMoves({ cancellation_reason: 'rejected' }))).to.deep.equal([move.rejected])
  })

  it('when the older frontend lists by GET with filter[status]=requested,accepted,completed, then it gets those moves', async () => {
    const res = await as(app, frontend)
      .get('/api/moves')
      .query({
        'filter[status]': 'requested,accepted,completed',
        'filter[date_from]': date,
        'filter[date_to]': date,
        'filter[from_location_id]': bsi,
        page: '1',
        per_page: '100',
      })
      .expect(200)
    expect(ids(res)).to.have.members([move.requested, move.completed])
  })

  it('when a status filter holds only values no move has, then nothing matches and the answer is still 200', async () => {
    expect(ids(await frontendMoves({ status: 'accepted' }))).to.deep.equal([])
    expect(ids(await frontendMoves({ status: 'accepted,teleported' }))).to.deep.equal([])
  })

  it("when the download filters by the person's date of birth or the destination's type, then they apply", async () => {
    const withoutBirthDates = ids(await frontendMoves({ date_of_birth_from: '1900-01-01' }))
    expect(withoutBirthDates).to.deep.equal([])
    const person = await aPerson(world, { attributes: { date_of_birth: '1990-05-17' } })
    const profile = await aProfile(world, { personId: person })
    const allocation = await anAllocation(world, { attributes: { date, moves_count: 1 } })
    await assignProfile(world, frontend, allocation.moveIds[0]!, profile).expect(200)
    for (const [from, to, found] of [
      ['1990-05-17', '1990-05-17', allocation.moveIds],
      ['1990-05-18', '2000-01-01', []],
    ] as const) {
      const res = await frontendMoves({ date_of_birth_from: from, date_of_birth_to: to })
      expect(ids(res), `${from}..${to}`).to.deep.equal(found)
    }
    expect(ids(await frontendMoves({ location_type: 'prison', status: 'booked' }))).to.deep.equal([move.booked])
    expect(ids(await frontendMoves({ location_type: 'court' }))).to.deep.equal([])
  })

  it("when the frontend lists allocations and opens one with its moves' people, then both answer 200", async () => {
    const allocation = await anAllocation(world, { attributes: { date, moves_count: 1 } })
    const listed = await as(app, frontend)
      .post('/api/allocations/filtered')
      .query({
        include: 'from_location,to_location',
        page: '1',
        per_page: '20',
        'sort[by]': 'date',
        'sort[direction]': 'asc',
      })
      .send({
        data: {
          type: 'allocations',
          attributes: { filter: { status: 'filled,unfilled', from_locations: bsi, date_from: date, date_to: date } },
        },
      })
      .expect(200)
    expect(ids(listed)).to.include(allocation.id)
    const opened = await as(app, frontend)
      .get(`/api/allocations/${allocation.id}`)
      .query({
        include:
          'from_location,moves,moves.profile,moves.profile.person,moves.profile.person.ethnicity,moves.profile.person.gender,to_location',
      })
      .expect(200)
    expect(opened.body.data.relationships.moves.data.map((m: { id: string }) => m.id)).to.deep.equal(allocation.moveIds)
  })

  it('when the frontend looks a person up by each identifier, then it gets 200 with that person', async () => {
    const suffix = String(process.pid).slice(-4).padStart(4, '0')
    const identifiers = {
      prison_number: `F${suffix}FE`,
      police_national_computer: `31/${suffix}F`,
      criminal_records_office: `${suffix}/31F`,
    }
    const person = await aPerson(world, { attributes: identifiers })
    for (const [name, value] of Object.entries(identifiers)) {
      const res = await as(app, frontend)
        .get('/api/people')
        .query({ [`filter[${name}]`]: value })
        .expect(200)
      expect(ids(res), name).to.deep.equal([person])
    }
  })
})
