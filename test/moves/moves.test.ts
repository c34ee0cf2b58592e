import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
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
  post,
  postMove,
} from '../support/builders'
import { locationRef } from '../support/bodies'
import { countQueries, onPostgres } from '../support/db'

const leeds = (services: Services) => services.db('locations').where({ key: 'lei' }).first('id')
const moorland = (services: Services) => services.db('locations').where({ key: 'mdi' }).first('id')

describe('Book a Secure Move: moves', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend, geoamey, serco } = world)
  })

  describe('listing', () => {
    it('when the frontend filters by date, status, location, reference, person or allocation, then the matching moves are listed', async () => {
      const allocation = await anAllocation(world)
      const person = await aPerson(world)
      const profile = await aProfile(world, { personId: person })
      await assignProfile(world, frontend, allocation.moveIds[0]!, profile).expect(200)
      await moveEvent(world, frontend, allocation.moveIds[0]!, 'accept').expect(204)
      const list = (query: Record<string, string>) =>
        as(app, frontend)
          .get('/api/moves')
          .query({ 'filter[date_from]': allocation.date, 'filter[date_to]': allocation.date, ...query })
          .expect(200)
          .then(res => res.body.data.map((m: { id: string }) => m.id) as string[])
      expect(await list({})).to.have.members(allocation.moveIds)
      expect(await list({ 'filter[status]': 'booked' })).to.deep.equal([allocation.moveIds[0]])
      expect(await list({ 'filter[status]': 'requested,booked' })).to.have.length(2)
      expect(await list({ 'filter[person_id]': person })).to.deep.equal([allocation.moveIds[0]])
      expect(await list({ 'filter[profile_id]': profile })).to.deep.equal([allocation.moveIds[0]])
      expect(await list({ 'filter[has_relationship_to_allocation]': 'false' })).to.deep.equal([])
      expect(await list({ 'filter[move_type]': 'court_appearance' })).to.deep.equal([])
      expect(await list({ 'filter[location_id]': walkthroughIds.isleOfWight })).to.have.length(2)
      expect(await list({ 'filter[from_location_id]': walkthroughIds.isleOfWight })).to.deep.equal([])
      const move = await services.db('moves').where({ id: allocation.moveIds[1] }).first('reference')
      expect(await list({ 'filter[reference]': move.reference.toLowerCase() })).to.deep.equal([allocation.moveIds[1]])
      const today = new Date().toISOString().slice(0, 10)
      expect(
        await list({ 'filter[created_at_from]': '2000-01-01', 'filter[created_at_to]': '2000-01-02' }),
      ).to.deep.equal([])
      expect(await list({ 'filter[created_at_to]': `${Number(today.slice(0, 4)) + 1}-01-01` })).to.have.length(2)
    })

    it('when an include is unsupported or a filter bad, then it is 400, naming the valid includes', async () => {
      const res = await as(app, frontend).get('/api/moves').query({ include: 'profile,journeys' }).expect(400)
      expect(res.body.errors[0].code).to.equal('unsupported_include')
      expect(res.body.errors[0].detail).to.contain('["journeys"] is not supported')
      expect(res.body.errors[0].detail).to.contain('profile.person.ethnicity')
      for (const query of [
        { 'filter[date_from]': '22/07/2020' },
        { 'filter[has_relationship_to_allocation]': 'maybe' },
        { 'filter[supplier_id]': 'serco' },
        { 'sort[by]': 'colour' },
        { 'sort[by]': 'date', 'sort[direction]': 'up' },
      ]) {
        await as(app, frontend).get('/api/moves').query(query).expect(400)
      }
    })

    it('when moves are paged and sorted by date or location, then the links and order follow', async () => {
      const first = await anAllocation(world, { attributes: { moves_count: 3 } })
      const page = await as(app, frontend)
        .get('/api/moves')
        .query({ 'filter[date_from]': first.date, 'filter[date_to]': first.date, per_page: 2, page: 2 })
        .expect(200)
      expect(page.body.data).to.have.length(1)
      expect(page.body.meta.pagination).to.include({ per_page: 2, total_pages: 2, total_objects: 3 })
      expect(page.body.links.prev).to.contain('page%5Bnumber%5D=1')
      expect(page.body.links.next).to.equal(null)

      const second = await anAllocation(world, { attributes: { moves_count: 1 } })
      const sorted = await as(app, frontend)
        .get('/api/moves')
        .query({ 'filter[date_from]': first.date, 'filter[date_to]': second.date, 'sort[by]': 'date' })
        .expect(200)
      expect(sorted.body.data.map((m: { attributes: { date: string } }) => m.attributes.date)).to.deep.equal([
        first.date,
        first.date,
        first.date,
        second.date,
      ])
      const byLocation = await as(app, frontend)
        .get('/api/moves')
        .query({ 'filter[date_from]': first.date, 'filter[date_to]': second.date, 'sort[by]': 'from_location' })
        .expect(200)
      expect(byLocation.body.data).to.have.length(4)
    })

    it('when a page of 2 or of 20 moves is asked for with every include, then the number of queries is the same', async () => {
      const date = uniqueDate()
      const allocations = [
        await anAllocation(world, { attributes: { moves_count: 10, date } }),
        await anAllocation(world, { attributes: { moves_count: 10, date } }),
      ]
      for (const id of allocations.flatMap(a => a.moveIds)) {
        const person = await aPerson(world, { attributes: { prison_number: `Q${crypto.randomUUID().slice(0, 6)}` } })
        await assignProfile(world, frontend, id, await aProfile(world, { personId: person })).expect(200)
      }
      const include =
        'profile,profile.person,profile.person.ethnicity,profile.person.gender,from_location,to_location,allocation,supplier,prison_transfer_reason'
      const list = (size: number) =>
        countQueries(services, () =>
          as(app, frontend)
            .get('/api/moves')
            .query({ 'filter[date_from]': date, 'filter[date_to]': date, 'page[size]': size, include })
            .expect(200)
            .then(res => expect(res.body.data).to.have.length(size)),
        )
      const small = await list(2)
      const large = await list(20)
      expect(large).to.equal(small)
    })
  })

  describe('POST /api/moves/filtered: the list with its filter in the body', () => {
    const search = (client: TestClient, filter: Record<string, unknown>, url = '/api/moves/filtered') =>
      as(app, client)
        .post(url)
        .send({ data: { type: 'moves', attributes: { filter } } })
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map(m => m.id)

    it('when 300 from_location ids are sent, then the list is filtered by all of them', async () => {
      const allocation = await anAllocation(world)
      const others = Array.from({ length: 299 }, () => crypto.randomUUID())
      const fromLocations = [...others.slice(0, 150), walkthroughIds.brinsford, ...others.slice(150)]
      expect(
        new URLSearchParams({ 'filter[from_location_id]': fromLocations.join(',') }).toString().length,
      ).to.be.above(8192)
      const dates = { date_from: allocation.date, date_to: allocation.date }
      const found = await search(frontend, { ...dates, from_location_id: fromLocations }).expect(200)
      expect(ids(found)).to.have.members(allocation.moveIds)
      const none = await search(frontend, { ...dates, from_location_id: others.join(',') }).expect(200)
      expect(none.body.data).to.deep.equal([])
    })

    it("when the filters are given as arrays or comma-separated strings, then the page is the GET's", async () => {
      const allocation = await anAllocation(world, { attributes: { moves_count: 3 } })
      const person = await aPerson(world)
      await assignProfile(world, frontend, allocation.moveIds[0]!, await aProfile(world, { personId: person })).expect(
        200,
      )
      await moveEvent(world, frontend, allocation.moveIds[0]!, 'accept').expect(204)
      const query = {
        per_page: '2',
        page: '1',
        'sort[by]': 'date',
        'sort[direction]': 'asc',
        include: 'profile.person,from_location,to_location',
      }
      const byGet = await as(app, frontend)
        .get('/api/moves')
        .query({
          ...query,
          'filter[date_from]': allocation.date,
          'filter[date_to]': allocation.date,
          'filter[status]': 'requested,booked',
          'filter[location_id]': `${walkthroughIds.isleOfWight},${crypto.randomUUID()}`,
          'filter[has_relationship_to_allocation]': 'true',
        })
        .expect(200)
      const base = { date_from: allocation.date, date_to: allocation.date }
      const post = (filter: Record<string, unknown>) =>
        as(app, frontend)
          .post('/api/moves/filtered')
          .query(query)
          .send({ data: { type: 'moves', attributes: { filter: { ...base, ...filter } } } })
          .expect(200)
      const byArrays = await post({
        status: ['requested', 'booked'],
        location_id: [walkthroughIds.isleOfWight, crypto.randomUUID()],
        has_relationship_to_allocation: true,
      })
      const byStrings = await post({
        status: 'requested,booked',
        location_id: walkthroughIds.isleOfWight,
        has_relationship_to_allocation: 'true',
      })
      expect(byGet.body.data).to.have.length(2)
      expect(byGet.body.meta.pagination.total_objects).to.equal(3)
      for (const res of [byArrays, byStrings]) {
        expect(res.body.data).to.deep.equal(byGet.body.data)
        expect(res.body.included).to.deep.equal(byGet.body.included)
        expect(res.body.meta.pagination).to.deep.include({ per_page: 2, total_pages: 2, total_objects: 3 })
      }
    })

    it('when there is a next page, then it links to /filtered, and page 2 by the same POST answers the rest', async () => {
      const allocation = await anAllocation(world, { attributes: { moves_count: 3 } })
      const filter = { date_from: allocation.date, date_to: allocation.date }
      const first = await search(frontend, filter, '/api/moves/filtered?per_page=2&include=from_location').expect(200)
      expect(first.body.data).to.have.length(2)
      const next = new URL(first.body.links.next)
      expect(next.pathname).to.equal('/api/moves/filtered')
      expect(next.searchParams.get('page[number]')).to.equal('2')
      expect(next.searchParams.get('include')).to.equal('from_location')
      expect(first.body.links.self).to.contain('/api/moves/filtered?')
      const second = await search(frontend, filter, `${next.pathname}${next.search}`).expect(200)
      expect(second.body.data).to.have.length(1)
      expect(second.body.links.next).to.equal(null)
      expect([...ids(first), ...ids(second)]).to.have.members(allocation.moveIds)
    })

    it('when a supplier searches, then it sees only its moves, as the GET does', async () => {
      const sercoMove = await anAllocation(world, {
        attributes: { moves_count: 1 },
        from: (await leeds(services)).id,
        to: (await moorland(services)).id,
      })
      const filter = { date_from: sercoMove.date, date_to: sercoMove.date }
      expect(ids(await search(serco, filter).expect(200))).to.deep.equal(sercoMove.moveIds)
      expect(ids(await search(geoamey, filter).expect(200))).to.deep.equal([])
    })

    it('when version 1 is asked for, then moves link to the person and include everything unasked, as the GET does', async () => {
      const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
      const person = await aPerson(world)
      await assignProfile(world, frontend, allocation.moveIds[0]!, await aProfile(world, { personId: person })).expect(
        200,
      )
      const res = await search(frontend, { date_from: allocation.date, date_to: allocation.date })
        .set('Accept', 'application/vnd.api+json; version=1')
        .expect(200)
      expect(res.body.data[0].relationships.person.data).to.deep.equal({ type: 'people', id: person })
      expect(res.body.included.map((r: { type: string }) => r.type)).to.include.members(['people', 'locations'])
    })

    it('when a date, move type, boolean or filter name is bad, then it is 400 invalid_query_parameter pointing into the body', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ date_from: '22/07/2020' }, 'date_from'],
        [{ move_type: ['prison_transfer', 'lost'] }, 'move_type'],
        [{ supplier_id: 'serco' }, 'supplier_id'],
        [{ has_relationship_to_allocation: 'maybe' }, 'has_relationship_to_allocation'],
        [{ from_location_id: { id: walkthroughIds.brinsford } }, 'from_location_id'],
        [{ colour: 'red' }, 'colour'],
      ]
      for (const [filter, name] of cases) {
        const res = await search(frontend, filter).expect(400)
        expect(res.body.errors[0], JSON.stringify(filter)).to.deep.include({
          code: 'invalid_query_parameter',
          source: { pointer: `/data/attributes/filter/${name}` },
        })
      }
    })

    it('when the body has another shape or data.type, then it is 422 with a pointer; a body that is not JSON is 415', async () => {
      const refused = async (body: object, pointer: string) => {
        const res = await as(app, frontend).post('/api/moves/filtered').send(body).expect(422)
        expect(res.body.errors[0], JSON.stringify(body)).to.deep.include({
          code: 'unprocessable_entity',
          source: { pointer },
        })
      }
      await refused({ data: { type: 'allocations', attributes: { filter: {} } } }, '/data/type')
      await refused({ filter: { status: 'requested' } }, '/data')
      await refused({ data: { type: 'moves', attributes: { filter: 'status=requested' } } }, '/data/attributes/filter')
      await as(app, frontend)
        .post('/api/moves/filtered')
        .set('Content-Type', 'text/plain')
        .send('filter[status]=requested')
        .expect(415)
    })

    it('when the same search is sent again, key or not, then it is a new search (no Idempotency-Key needed)', async () => {
      const date = uniqueDate()
      const searchKey = key()
      const again = () =>
        search(frontend, { date_from: date, date_to: date }).set('Idempotency-Key', searchKey).expect(200)
      await search(frontend, { date_from: date, date_to: date }).expect(200)
      expect((await again()).body.data).to.deep.equal([])
      const allocation = await anAllocation(world, { attributes: { moves_count: 1, date } })
      const second = await again()
      expect(second.headers).not.to.have.property('idempotent-replayed')
      expect(ids(second)).to.deep.equal(allocation.moveIds)
    })

    it('when GET /api/moves/filtered is asked for, then it is 405, not a search for a move called "filtered"', async () => {
      const res = await as(app, frontend).get('/api/moves/filtered').expect(405)
      expect(res.body.errors[0].code).to.equal('method_not_allowed')
      await as(app, frontend)
        .patch('/api/moves/filtered')
        .set('Idempotency-Key', key())
        .send({ data: { type: 'moves' } })
        .expect(405)
    })
  })

  it('when include, fields and filters hold commas as JSON:API clients send them, then they are taken as they are', async () => {
    const { moveIds, date } = await anAllocation(world, { attributes: { moves_count: 1 } })
    const res = await as(app, frontend)
      .get(
        `/api/moves?filter[date_from]=${date}&filter[date_to]=${date}&filter[status]=requested,booked` +
          '&include=from_location,to_location&fields[locations]=key,title',
      )
      .expect(200)
    expect(res.body.data.map((m: { id: string }) => m.id)).to.include(moveIds[0])
    expect(res.body.included.every((r: { attributes: object }) => Object.keys(r.attributes).length === 2)).to.equal(
      true,
    )
  })

  describe('supplier scoping', () => {
    it('when a supplier asks for moves, then it sees only its own and those at its locations; others are 404', async () => {
      const sercoMove = await anAllocation(world, {
        attributes: { moves_count: 1 },
        from: (await leeds(services)).id,
        to: (await moorland(services)).id,
      })
      const id = sercoMove.moveIds[0]!
      await as(app, serco).get(`/api/moves/${id}`).expect(200)
      await as(app, frontend).get(`/api/moves/${id}`).expect(200)
      const hidden = await as(app, geoamey).get(`/api/moves/${id}`).expect(404)
      expect(hidden.body.errors[0].code).to.equal('not_found')
      await moveEvent(world, geoamey, id, 'accept').expect(404)
      await assignProfile(world, geoamey, id, null).expect(404)
      const listed = await as(app, geoamey)
        .get('/api/moves')
        .query({ 'filter[date_from]': sercoMove.date, 'filter[date_to]': sercoMove.date })
        .expect(200)
      expect(listed.body.data).to.deep.equal([])
      expect((await services.db('moves').where({ id }).first('status')).status).to.equal('requested')
    })
  })

  describe('transitions', () => {
    it('when a transition is not allowed, then it is 409 invalid_transition with the current status and no event is written', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const id = moveIds[0]!
      const res = await moveEvent(world, frontend, id, 'complete').expect(409)
      expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
      expect(res.body.errors[0].meta).to.deep.equal({ status: 'requested', event: 'complete' })
      await moveEvent(world, frontend, id, 'accept').expect(204)
      const again = await moveEvent(world, frontend, id, 'accept').expect(409)
      expect(again.body.errors[0].meta.status).to.equal('booked')
      const events = await services.db('move_events').where({ move_id: id }).pluck('event_type')
      expect(events).to.deep.equal(['MoveRequested', 'MoveAccept'])
    })

    it('when an accept is repeated with the same Idempotency-Key, then it is replayed as 204; with a new key it is 409', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const id = moveIds[0]!
      const idempotencyKey = key()
      const accept = (k: string) =>
        as(app, geoamey)
          .post(`/api/moves/${id}/accept`)
          .set('Idempotency-Key', k)
          .send({ data: { type: 'accepts', attributes: { timestamp: '2031-01-01T10:00:00Z' } } })
      await accept(idempotencyKey).expect(204)
      const replay = await accept(idempotencyKey).expect(204)
      expect(replay.headers['idempotent-replayed']).to.equal('true')
      await accept(key()).expect(409)
      expect(await services.db('move_events').where({ move_id: id, event_type: 'MoveAccept' })).to.have.length(1)
    })

    it('when attributes.timestamp or the endpoint’s data.type is missing or wrong, then it is refused', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const id = moveIds[0]!
      const missing = await post(world, frontend, `/api/moves/${id}/accept`)
        .send({ data: { type: 'accepts', attributes: { notes: 'no time' } } })
        .expect(422)
      expect(missing.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/timestamp' })
      await moveEvent(world, frontend, id, 'accept', { timestamp: 'yesterday' }).expect(422)
      await as(app, frontend)
        .post(`/api/moves/${id}/accept`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'starts', attributes: { timestamp: '2031-01-01T10:00:00Z' } } })
        .expect(409)
      expect((await services.db('moves').where({ id }).first('status')).status).to.equal('requested')
    })

    it('when a move is cancelled with a reason (other needs a comment), then its allocation is refilled from the moves left', async () => {
      const allocation = await anAllocation(world)
      const person = await aPerson(world)
      await assignProfile(world, frontend, allocation.moveIds[0]!, await aProfile(world, { personId: person })).expect(
        200,
      )
      const cancel = (attributes: Record<string, unknown>) =>
        as(app, frontend)
          .post(`/api/moves/${allocation.moveIds[1]}/cancel`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'cancels', attributes } })
      await cancel({ timestamp: '2031-01-01T09:00:00Z' }).expect(422)
      const uncommented = await cancel({ timestamp: '2031-01-01T09:00:00Z', cancellation_reason: 'other' }).expect(422)
      expect(uncommented.body.errors[0].source.pointer).to.equal('/data/attributes/cancellation_reason_comment')
      await cancel({ timestamp: '2031-01-01T09:00:00Z', cancellation_reason: 'made_in_error' }).expect(204)
      const move = await as(app, frontend).get(`/api/moves/${allocation.moveIds[1]}`).expect(200)
      expect(move.body.data.attributes).to.include({ status: 'cancelled', cancellation_reason: 'made_in_error' })
      const row = await services.db('allocations').where({ id: allocation.id }).first('status', 'moves_count')
      expect(row).to.deep.equal({ status: 'filled', moves_count: 1 })
      const again = await cancel({
        timestamp: '2031-01-01T09:01:00Z',
        cancellation_reason: 'other',
        cancellation_reason_comment: 'Requested in error',
      }).expect(409)
      expect(again.body.errors[0].meta.status).to.equal('cancelled')
    })

    it('when the move does not exist, then it is 404', async () => {
      await moveEvent(world, frontend, crypto.randomUUID(), 'accept').expect(404)
    })
  })

  describe('PATCH', () => {
    it('when a patch redates an allocation move, names an unknown profile or has a malformed relationship, then it is refused', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const id = moveIds[0]!
      const patch = (data: Record<string, unknown>) =>
        as(app, frontend)
          .patch(`/api/moves/${id}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'moves', id, ...data } })
      const date = await patch({ attributes: { date: '2031-12-31' } }).expect(422)
      expect(date.body.errors[0].source.pointer).to.equal('/data/attributes/date')
      const profile = await assignProfile(world, frontend, id, crypto.randomUUID()).expect(404)
      expect(profile.body.errors[0].source.pointer).to.equal('/data/relationships/profile')
      await patch({ relationships: { profile: { data: { type: 'people', id: crypto.randomUUID() } } } }).expect(422)
      await patch({ id: crypto.randomUUID() }).expect(409)
      const ok = await patch({ attributes: { additional_information: 'bring the file', move_agreed: true } }).expect(
        200,
      )
      expect(ok.body.data.attributes).to.include({ additional_information: 'bring the file', move_agreed: true })
    })
  })

  describe('PATCH: one live move per person, route and date', () => {
    const unassigned = async (moveId: string) =>
      (await services.db('moves').where({ id: moveId }).first('profile_id')).profile_id as string | null
    const allocationStatus = async (id: string) =>
      (await services.db('allocations').where({ id }).first('status')).status as string

    it('when the person is already on a live move of the same route and date, then it is 422 taken and nothing changes', async () => {
      const allocation = await anAllocation(world)
      const live = await aMove(world, { date: allocation.date })
      const res = await assignProfile(world, frontend, allocation.moveIds[0]!, live.profileId).expect(422)
      expect(res.body.errors[0]).to.include({ code: 'taken', detail: 'Date has already been taken' })
      expect(res.body.errors[0].meta).to.deep.equal({ existing_id: live.id })
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/relationships/profile' })
      const { person_id: person } = await services.db('profiles').where({ id: live.profileId }).first('person_id')
      const otherProfile = await aProfile(world, { personId: person })
      await assignProfile(world, frontend, allocation.moveIds[0]!, otherProfile).expect(422)
      expect(await unassigned(allocation.moveIds[0]!)).to.equal(null)
      expect(await allocationStatus(allocation.id)).to.equal('unfilled')
      await moveEvent(world, frontend, live.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      await assignProfile(world, frontend, allocation.moveIds[0]!, otherProfile).expect(200)
    })

    it('when one prisoner fills two places of one allocation, then it is allowed, as the seed walkthrough does', async () => {
      const allocation = await anAllocation(world)
      const person = await aPerson(world)
      await assignProfile(world, frontend, allocation.moveIds[0]!, await aProfile(world, { personId: person })).expect(
        200,
      )
      await assignProfile(world, frontend, allocation.moveIds[1]!, await aProfile(world, { personId: person })).expect(
        200,
      )
      expect(await allocationStatus(allocation.id)).to.equal('filled')
    })

    it('when a new date duplicates a live move of the same person and route, then it is 422 pointing at the date', async () => {
      const live = await aMove(world)
      const other = await postMove(
        world,
        frontend,
        { move_type: 'prison_transfer', date: uniqueDate() },
        {
          from_location: locationRef(await location(world, 'bsi')),
          to_location: locationRef(await location(world, 'iwi')),
          profile: { data: { type: 'profiles', id: live.profileId } },
        },
      ).expect(201)
      const id = other.body.data.id as string
      const redate = () =>
        as(app, frontend)
          .patch(`/api/moves/${id}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'moves', id, attributes: { date: live.date } } })
      const res = await redate().expect(422)
      expect(res.body.errors[0]).to.include({ code: 'taken' })
      expect(res.body.errors[0].meta).to.deep.equal({ existing_id: live.id })
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/date' })
      expect((await services.db('moves').where({ id }).first(services.db.raw('date::text as date'))).date).to.equal(
        other.body.data.attributes.date,
      )
      await moveEvent(world, frontend, live.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      await redate().expect(200)
    })
  })

  describe('versions', () => {
    it('when version 1 is asked for, then a move links its person and includes everything unasked; version 2 links the profile', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const person = await aPerson(world)
      const profile = await aProfile(world, { personId: person })
      await assignProfile(world, frontend, moveIds[0]!, profile).expect(200)
      const v1 = await as(app, frontend)
        .get(`/api/moves/${moveIds[0]}`)
        .set('Accept', 'application/vnd.api+json; version=1')
        .query({ include: 'person' })
        .expect(200)
      expect(v1.body.data.relationships.person.data).to.deep.equal({ type: 'people', id: person })
      expect(v1.body.data.relationships).not.to.have.property('profile')
      expect(v1.body.included[0].attributes).to.have.property('assessment_answers')
      const v1All = await as(app, frontend)
        .get(`/api/moves/${moveIds[0]}`)
        .set('Accept', 'application/vnd.api+json; version=1')
        .expect(200)
      expect(v1All.body.included.map((r: { type: string }) => r.type)).to.include.members([
        'people',
        'locations',
        'allocations',
        'suppliers',
      ])
      const v2 = await as(app, frontend).get(`/api/moves/${moveIds[0]}`).expect(200)
      expect(v2.body).not.to.have.property('included')
      expect(v2.body.data.relationships.profile.data).to.deep.equal({ type: 'profiles', id: profile })
      expect(v2.body.data.relationships).not.to.have.property('person')
    })
  })

  ;(onPostgres ? describe : describe.skip)('under concurrency (PostgreSQL)', () => {
    it('when 20 accepts of one move arrive at once, then exactly one is 204 and the others 409', async () => {
      const { moveIds } = await anAllocation(world, { attributes: { moves_count: 1 } })
      const id = moveIds[0]!
      const results = await Promise.all(Array.from({ length: 20 }, () => moveEvent(world, geoamey, id, 'accept')))
      const statuses = results.map(r => r.status)
      expect(statuses.filter(s => s === 204)).to.have.length(1)
      expect(statuses.filter(s => s === 409)).to.have.length(19)
      const events = await services.db('move_events').where({ move_id: id, event_type: 'MoveAccept' })
      expect(events).to.have.length(1)
    })

    it('when two profiles are assigned at once, then the allocation is left filled', async () => {
      for (let round = 0; round < 5; round++) {
        const allocation = await anAllocation(world)
        const [p1, p2] = [await aProfile(world), await aProfile(world)]
        const results = await Promise.all([
          assignProfile(world, frontend, allocation.moveIds[0]!, p1),
          assignProfile(world, frontend, allocation.moveIds[1]!, p2),
        ])
        expect(results.map(r => r.status)).to.deep.equal([200, 200])
        const row = await services.db('allocations').where({ id: allocation.id }).first('status', 'moves_count')
        expect(row).to.deep.equal({ status: 'filled', moves_count: 2 })
      }
    })
  })

  ;(onPostgres ? describe : describe.skip)('PATCH: the duplicate guard under concurrency (PostgreSQL)', () => {
    it('when one person is assigned at once to two moves of one route and date, then one is 200 and one 422 taken', async () => {
      const route = {
        from_location: locationRef(await location(world, 'bsi')),
        to_location: locationRef(await location(world, 'iwi')),
      }
      for (let round = 0; round < 5; round++) {
        const date = uniqueDate()
        const moveIds: string[] = []
        for (const _ of [1, 2]) {
          const created = await postMove(world, frontend, { move_type: 'prison_transfer', date }, route).expect(201)
          moveIds.push(created.body.data.id)
        }
        const person = await aPerson(world)
        const [p1, p2] = [await aProfile(world, { personId: person }), await aProfile(world, { personId: person })]
        const results = await Promise.all([
          assignProfile(world, frontend, moveIds[0]!, p1),
          assignProfile(world, frontend, moveIds[1]!, p2),
        ])
        expect(results.map(r => r.status).sort()).to.deep.equal([200, 422])
        const winner = moveIds[results.findIndex(r => r.status === 200)]
        const loser = results.find(r => r.status === 422)!
        expect(loser.body.errors[0]).to.include({ code: 'taken' })
        expect(loser.body.errors[0].meta).to.deep.equal({ existing_id: winner })
        const assigned = await services.db('moves').whereIn('id', moveIds).whereNotNull('profile_id')
        expect(assigned.map(m => m.id)).to.deep.equal([winner])
      }
    })
  })
})
