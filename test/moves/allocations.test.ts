import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, uniqueDate, aProfile, moveEvent, assignProfile, anAllocation } from '../support/builders'
import { allocationBody } from '../support/bodies'
import { withMember } from '../contract/bodies'
import { countQueries } from '../support/db'

describe('Book a Secure Move: allocations', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  const post = (body: unknown) =>
    as(app, frontend)
      .post('/api/allocations')
      .set('Idempotency-Key', key())
      .send(body as object)

  it("when an allocation is created, then it has its requested prison transfers, supplied by the from-location's supplier", async () => {
    const allocation = await anAllocation(world, { attributes: { moves_count: 3 } })
    expect(allocation.moveIds).to.have.length(3)
    const moves = await services.db('moves').whereIn('id', allocation.moveIds)
    const geoamey = await services.db('suppliers').where({ key: 'geoamey' }).first('id')
    for (const move of moves) {
      expect(move).to.include({
        status: 'requested',
        move_type: 'prison_transfer',
        profile_id: null,
        allocation_id: allocation.id,
        supplier_id: geoamey.id,
      })
    }
    expect(new Set(moves.map(m => m.reference)).size).to.equal(3)
  })

  it('when attributes are invalid, then it is 422 with a pointer for each and nothing is created', async () => {
    const before = Number((await services.db('allocations').count('* as c'))[0]!.c)
    const res = await post(
      allocationBody({
        moves_count: 0,
        date: '2031-02-30',
        estate: 'castle',
        prisoner_category: 'z',
        sentence_length: 'forever',
        complex_cases: [{ key: 'x', title: 'y', answer: 'maybe' }],
      }),
    ).expect(422)
    expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
      '/data/attributes/moves_count',
      '/data/attributes/date',
      '/data/attributes/estate',
      '/data/attributes/prisoner_category',
      '/data/attributes/sentence_length',
      '/data/attributes/complex_cases/0/allocation_complex_case_id',
      '/data/attributes/complex_cases/0/answer',
    ])
    expect(Number((await services.db('allocations').count('* as c'))[0]!.c)).to.equal(before)
  })

  it('when a location relationship is missing, then it is 422; when the location does not exist, 404', async () => {
    const missing = await post(
      withMember(allocationBody(), ['data', 'relationships', 'to_location'], undefined),
    ).expect(422)
    expect(missing.body.errors[0].source).to.deep.equal({ pointer: '/data/relationships/to_location' })
    const unknown = await post(allocationBody({}, { from: walkthroughIds.brinsford, to: crypto.randomUUID() })).expect(
      404,
    )
    expect(unknown.body.errors[0]).to.include({ code: 'not_found' })
    expect(unknown.body.errors[0].source).to.deep.equal({ pointer: '/data/relationships/to_location' })
  })

  it('when a complex case is unknown, then it is 422; another data.type is 409', async () => {
    const res = await post(
      allocationBody({
        complex_cases: [{ key: 'k', title: 't', answer: true, allocation_complex_case_id: crypto.randomUUID() }],
      }),
    ).expect(422)
    expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/complex_cases/0/allocation_complex_case_id')
    const body = allocationBody()
    await post({ data: { ...body.data, type: 'moves' } }).expect(409)
  })

  it('when every move has a profile, then the allocation is filled, and unfilled again when one loses it', async () => {
    const allocation = await anAllocation(world)
    const [first, second] = [await aProfile(world), await aProfile(world)]
    const status = async () => (await as(app, frontend).get(`/api/allocations/${allocation.id}`).expect(200)).body.data
    await assignProfile(world, frontend, allocation.moveIds[0]!, first).expect(200)
    expect((await status()).attributes.status).to.equal('unfilled')
    await assignProfile(world, frontend, allocation.moveIds[1]!, second).expect(200)
    const filled = await status()
    expect(filled.attributes.status).to.equal('filled')
    expect(filled.meta.moves).to.deep.equal({ total: 2, filled: 2, unfilled: 0 })
    await assignProfile(world, frontend, allocation.moveIds[1]!, null).expect(200)
    expect((await status()).attributes.status).to.equal('unfilled')
  })

  it('when allocations are listed by date and status, then each has meta.moves and includes its locations and moves', async () => {
    const a = await anAllocation(world, { attributes: { moves_count: 1 } })
    const b = await anAllocation(world, { attributes: { moves_count: 2 } })
    const res = await as(app, frontend)
      .get('/api/allocations')
      .query({
        'filter[date_from]': a.date,
        'filter[date_to]': b.date,
        'filter[status]': 'unfilled',
        'sort[by]': 'date',
        'sort[direction]': 'asc',
        include: 'from_location,to_location,moves',
      })
      .expect(200)
    expect(res.body.data.map((d: { id: string }) => d.id)).to.deep.equal([a.id, b.id])
    expect(res.body.data[1].meta.moves).to.deep.equal({ total: 2, filled: 0, unfilled: 2 })
    const included = res.body.included as { type: string; id: string }[]
    expect(included.filter(r => r.type === 'moves').map(r => r.id)).to.have.members([...a.moveIds, ...b.moveIds])
    expect(included.filter(r => r.type === 'locations')).to.have.length(2)
    expect(res.body.meta.pagination.total_objects).to.equal(2)
  })

  it('when allocations are filtered by location, then they are found; bad filters, sorts and includes are 400', async () => {
    const date = uniqueDate()
    const a = await anAllocation(world, { attributes: { date } })
    const res = await as(app, frontend)
      .get('/api/allocations')
      .query({ 'filter[date_from]': date, 'filter[date_to]': date, 'filter[locations]': walkthroughIds.isleOfWight })
      .expect(200)
    expect(res.body.data.map((d: { id: string }) => d.id)).to.deep.equal([a.id])
    const bad = async (query: Record<string, string>, code: string) =>
      expect((await as(app, frontend).get('/api/allocations').query(query).expect(400)).body.errors[0].code).to.equal(
        code,
      )
    await bad({ 'filter[date_from]': 'yesterday' }, 'invalid_query_parameter')
    await bad(
      { 'filter[locations]': walkthroughIds.brinsford, 'filter[from_locations]': walkthroughIds.brinsford },
      'invalid_query_parameter',
    )
    await bad({ 'sort[by]': 'colour' }, 'unsupported_sort')
    await bad({ include: 'profile' }, 'unsupported_include')
    await bad({ 'filter[colour]': 'red' }, 'invalid_query_parameter')
  })

  describe('POST /api/allocations/filtered: the list with its filter in the body', () => {
    const search = (client: TestClient, filter: Record<string, unknown>, url = '/api/allocations/filtered') =>
      as(app, client)
        .post(url)
        .send({ data: { type: 'allocations', attributes: { filter } } })
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map(a => a.id)

    it('when 300 location ids are sent, then the list is filtered by all of them', async () => {
      const allocation = await anAllocation(world)
      const others = Array.from({ length: 299 }, () => crypto.randomUUID())
      const locations = [...others, walkthroughIds.isleOfWight]
      expect(new URLSearchParams({ 'filter[locations]': locations.join(',') }).toString().length).to.be.above(8192)
      const dates = { date_from: allocation.date, date_to: allocation.date }
      expect(ids(await search(frontend, { ...dates, locations }).expect(200))).to.deep.equal([allocation.id])
      expect(ids(await search(frontend, { ...dates, locations: others }).expect(200))).to.deep.equal([])
    })

    it("when the filters are given as arrays or comma-separated strings, then the page is the GET's", async () => {
      const a = await anAllocation(world, { attributes: { moves_count: 1 } })
      const b = await anAllocation(world, { attributes: { moves_count: 2 } })
      const c = await anAllocation(world, { attributes: { moves_count: 1 } })
      const query = { per_page: '2', 'sort[by]': 'date', 'sort[direction]': 'asc', include: 'moves,from_location' }
      const byGet = await as(app, frontend)
        .get('/api/allocations')
        .query({
          ...query,
          'filter[date_from]': a.date,
          'filter[date_to]': c.date,
          'filter[status]': 'unfilled,filled',
          'filter[from_locations]': walkthroughIds.brinsford,
        })
        .expect(200)
      const base = { date_from: a.date, date_to: c.date }
      const post = (filter: Record<string, unknown>) =>
        as(app, frontend)
          .post('/api/allocations/filtered')
          .query(query)
          .send({ data: { type: 'allocations', attributes: { filter: { ...base, ...filter } } } })
          .expect(200)
      const byArrays = await post({ status: ['unfilled', 'filled'], from_locations: [walkthroughIds.brinsford] })
      const byStrings = await post({ status: 'unfilled,filled', from_locations: walkthroughIds.brinsford })
      expect(ids(byGet)).to.deep.equal([a.id, b.id])
      for (const res of [byArrays, byStrings]) {
        expect(res.body.data).to.deep.equal(byGet.body.data)
        expect(res.body.included).to.deep.equal(byGet.body.included)
        expect(res.body.meta.pagination).to.deep.include({ per_page: 2, total_pages: 2, total_objects: 3 })
      }
    })

    it('when there is a next page, then it links to /filtered, and page 2 by the same POST answers the rest', async () => {
      const date = uniqueDate()
      const made = [
        await anAllocation(world, { attributes: { date } }),
        await anAllocation(world, { attributes: { date } }),
        await anAllocation(world, { attributes: { date } }),
      ]
      const filter = { date_from: date, date_to: date }
      const first = await search(frontend, filter, '/api/allocations/filtered?per_page=2').expect(200)
      const next = new URL(first.body.links.next)
      expect(next.pathname).to.equal('/api/allocations/filtered')
      expect(next.searchParams.get('page[number]')).to.equal('2')
      const second = await search(frontend, filter, `${next.pathname}${next.search}`).expect(200)
      expect(second.body.links.next).to.equal(null)
      expect([...ids(first), ...ids(second)]).to.have.members(made.map(a => a.id))
    })

    it("when a supplier searches, then it sees an allocation's moves only when it may, as the GET does", async () => {
      const allocation = await anAllocation(world)
      const filter = { date_from: allocation.date, date_to: allocation.date }
      const moves = async (client: TestClient) =>
        (await search(client, filter, '/api/allocations/filtered?include=moves').expect(200)).body.data[0].relationships
          .moves.data
      expect(await moves(await world.clientWith({ supplier: 'geoamey' }))).to.have.length(2)
      expect(await moves(await world.clientWith({ supplier: 'serco' }))).to.deep.equal([])
    })

    it('when a filter is bad, then it is 400 pointing into the body; another data.type is 422', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ date_from: 'yesterday' }, 'date_from'],
        [{ status: ['unfilled', 7] }, 'status/1'],
        [{ locations: walkthroughIds.brinsford, from_locations: [walkthroughIds.brinsford] }, 'locations'],
        [{ to_locations: [42, 'x'] }, 'to_locations/0'],
        [{ colour: 'red' }, 'colour'],
      ]
      for (const [filter, name] of cases) {
        const res = await search(frontend, filter).expect(400)
        expect(res.body.errors[0], JSON.stringify(filter)).to.deep.include({
          code: 'invalid_query_parameter',
          source: { pointer: `/data/attributes/filter/${name}` },
        })
      }
      const moves = await as(app, frontend)
        .post('/api/allocations/filtered')
        .send({ data: { type: 'moves', attributes: { filter: {} } } })
        .expect(422)
      expect(moves.body.errors[0]).to.deep.include({
        code: 'unprocessable_entity',
        source: { pointer: '/data/type' },
      })
    })
  })

  it('when a create is repeated with the same Idempotency-Key, then it is replayed and no second allocation is made', async () => {
    const body = allocationBody()
    const idempotencyKey = key()
    const send = () => as(app, frontend).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body)
    const first = await send().expect(201)
    const again = await send().expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.body).to.deep.equal(first.body)
    const made = await services.db('allocations').where({ date: body.data.attributes.date })
    expect(made).to.have.length(1)
  })

  it('when a supplier reads an allocation, then it sees its moves only when it may', async () => {
    const allocation = await anAllocation(world)
    const serving = await world.clientWith({ supplier: 'geoamey' })
    const other = await world.clientWith({ supplier: 'serco' })
    const get = (client: TestClient) =>
      as(app, client).get(`/api/allocations/${allocation.id}`).query({ include: 'moves' }).expect(200)
    const seen = await get(serving)
    expect(seen.body.data.relationships.moves.data).to.have.length(2)
    expect(seen.body.included).to.have.length(2)
    const hidden = await get(other)
    expect(hidden.body.data.relationships.moves.data).to.deep.equal([])
    expect(hidden.body.included).to.deep.equal([])
  })

  it('when 2 or 12 allocations are listed with their moves, then the number of queries is the same', async () => {
    const date = uniqueDate()
    for (let i = 0; i < 12; i++) await anAllocation(world, { attributes: { date } })
    const list = (size: number) =>
      countQueries(services, () =>
        as(app, frontend)
          .get('/api/allocations')
          .query({ 'filter[date_from]': date, 'filter[date_to]': date, per_page: size, include: 'moves,from_location' })
          .expect(200)
          .then(res => expect(res.body.data).to.have.length(size)),
      )
    expect(await list(12)).to.equal(await list(2))
  })

  it('when an allocation is cancelled, then it and its live moves are cancelled in one go, and a second cancel is 409', async () => {
    const allocation = await anAllocation(world)
    await moveEvent(world, frontend, allocation.moveIds[0]!, 'accept').expect(204)
    const cancel = (attributes: Record<string, unknown>) =>
      as(app, frontend)
        .post(`/api/allocations/${allocation.id}/cancel`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'cancels', attributes } })
    const bad = await cancel({ timestamp: '2031-01-01T09:00:00Z', cancellation_reason: 'bored' }).expect(422)
    expect(bad.body.errors[0].source.pointer).to.equal('/data/attributes/cancellation_reason')
    await cancel({
      timestamp: '2031-01-01T09:00:00Z',
      cancellation_reason: 'cancelled_by_pmu',
      cancellation_reason_comment: 'no longer needed',
    }).expect(204)
    const row = await as(app, frontend).get(`/api/allocations/${allocation.id}`).expect(200)
    expect(row.body.data.attributes).to.include({
      status: 'cancelled',
      moves_count: 0,
      cancellation_reason: 'cancelled_by_pmu',
      cancellation_reason_comment: 'no longer needed',
    })
    expect(row.body.data.meta.moves).to.deep.equal({ total: 0, filled: 0, unfilled: 0 })
    const moves = await services.db('moves').whereIn('id', allocation.moveIds)
    expect(moves.map(m => [m.status, m.cancellation_reason])).to.deep.equal([
      ['cancelled', 'other'],
      ['cancelled', 'other'],
    ])
    const events = await services
      .db('move_events')
      .whereIn('move_id', allocation.moveIds)
      .where({ event_type: 'MoveCancel' })
      .pluck('from_status')
    expect(events).to.have.members(['booked', 'requested'])
    const again = await cancel({
      timestamp: '2031-01-01T09:05:00Z',
      cancellation_reason: 'other',
      cancellation_reason_comment: 'Requested in error',
    }).expect(409)
    expect(again.body.errors[0].meta).to.deep.equal({ status: 'cancelled', event: 'cancel' })
  })

  it('when fields[TYPE] is given, then only those fields are answered', async () => {
    const allocation = await anAllocation(world)
    const res = await as(app, frontend)
      .get(`/api/allocations/${allocation.id}`)
      .query({ 'fields[allocations]': 'status,moves', 'fields[moves]': 'reference', include: 'moves' })
      .expect(200)
    expect(res.body.data.attributes).to.deep.equal({ status: 'unfilled' })
    expect(res.body.data.relationships).to.have.all.keys('moves')
    for (const move of res.body.included) expect(move.attributes).to.have.all.keys('reference')
  })

  it('when the allocation does not exist, then it is 404', async () => {
    await as(app, frontend).get(`/api/allocations/${crypto.randomUUID()}`).expect(404)
  })
})
