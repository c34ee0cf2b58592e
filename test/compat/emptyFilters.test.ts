import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { uniqueDate, location, aPerson, aMove, anAllocation, anUnservedPoliceStation } from '../support/builders'

type Listed = { body: { data: { id: string }[] } }
const ids = (res: Listed) => res.body.data.map(r => r.id)

describe('compatibility: a filter given with an empty value matches rows where that value is null', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let date: string
  let videoRemand: string
  let transfer: string
  let allocationMoves: string[]
  let unserved: string

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
    date = uniqueDate()
    unserved = await anUnservedPoliceStation(world)
    videoRemand = (await aMove(world, { moveType: 'video_remand', from: unserved, to: null, date })).id
    transfer = (await aMove(world, { date })).id
    allocationMoves = (await anAllocation(world, { attributes: { date, moves_count: 1 } })).moveIds
  })

  /** The moves of the test's date with `filter`, by GET and by POST /filtered with the same values. */
  async function moves(filter: Record<string, string | string[]>): Promise<string[][]> {
    const dated = { date_from: date, date_to: date, ...filter }
    const query = Object.fromEntries(Object.entries(dated).map(([k, v]) => [`filter[${k}]`, String(v)]))
    const got = await as(app, frontend)
      .get('/api/moves')
      .query({ ...query, per_page: '100' })
      .expect(200)
    const posted = await as(app, frontend)
      .post('/api/moves/filtered')
      .query({ per_page: '100' })
      .send({ data: { type: 'moves', attributes: { filter: dated } } })
      .expect(200)
    return [ids(got), ids(posted)]
  }

  it('when filter[to_location_id] is empty, then only moves with no destination (the video remand) are listed', async () => {
    for (const found of await moves({ to_location_id: '' })) expect(found).to.deep.equal([videoRemand])
    const [, asArray] = await moves({ to_location_id: [] })
    expect(asArray).to.deep.equal([videoRemand])
  })

  it('when filter[location_id] is empty, then moves with no from or no to location are listed', async () => {
    for (const found of await moves({ location_id: '' })) expect(found).to.deep.equal([videoRemand])
  })

  it('when filter[supplier_id] is empty, then only moves without a supplier are listed', async () => {
    for (const found of await moves({ supplier_id: '' })) expect(found).to.deep.equal([videoRemand])
    for (const found of await moves({})) expect(found).to.have.members([videoRemand, transfer, ...allocationMoves])
  })

  it('when filter[profile_id] or filter[person_id] is empty, then only moves without a person are listed', async () => {
    for (const name of ['profile_id', 'person_id']) {
      for (const found of await moves({ [name]: '' })) expect(found, name).to.have.members(allocationMoves)
    }
  })

  it('when filter[status], [move_type] or [reference] is empty, then nothing matches, as every move has them', async () => {
    for (const name of ['status', 'move_type', 'reference']) {
      for (const found of await moves({ [name]: '' })) expect(found, name).to.deep.equal([])
    }
  })

  it('when an empty filter is combined with values elsewhere, then both apply', async () => {
    const police = await location(world, 'wmp000')
    for (const found of await moves({ to_location_id: '', from_location_id: police })) expect(found).to.deep.equal([])
    for (const found of await moves({ to_location_id: '', from_location_id: unserved })) {
      expect(found).to.deep.equal([videoRemand])
    }
  })

  it('when the allocations filters are empty, then nothing matches (every allocation has locations and a status)', async () => {
    for (const name of ['status', 'from_locations', 'to_locations', 'locations']) {
      const got = await as(app, frontend)
        .get('/api/allocations')
        .query({ [`filter[${name}]`]: '', 'filter[date_from]': date, 'filter[date_to]': date })
        .expect(200)
      expect(ids(got), name).to.deep.equal([])
      const posted = await as(app, frontend)
        .post('/api/allocations/filtered')
        .send({ data: { type: 'allocations', attributes: { filter: { [name]: '', date_from: date, date_to: date } } } })
        .expect(200)
      expect(ids(posted), name).to.deep.equal([])
    }
  })

  it('when filter[prison_number] is empty, then people without a prison number are listed and people with one are not', async () => {
    const without = await aPerson(world)
    const withNumber = await aPerson(world, { attributes: { prison_number: `E${String(process.pid).slice(-4)}EF` } })
    const listed = ids(
      await as(app, frontend).get('/api/people').query({ 'filter[prison_number]': '', per_page: '2000' }).expect(200),
    )
    expect(listed).to.include(without)
    expect(listed).not.to.include(withNumber)
    const rows = await services.db('people').whereIn('id', listed).whereNotNull('prison_number').count('* as n')
    expect(Number(rows[0]!.n)).to.equal(0)
  })

  it('when a location filter is empty, then the locations without that value are listed', async () => {
    const noSupplier = ids(
      await as(app, frontend)
        .get('/api/reference/locations')
        .query({ 'filter[supplier_id]': '', per_page: '2000' })
        .expect(200),
    )
    expect(noSupplier).to.include(unserved)
    expect(noSupplier).not.to.include(walkthroughIds.brinsford)
    const noAgency = ids(
      await as(app, frontend)
        .get('/api/reference/locations')
        .query({ 'filter[nomis_agency_id]': '', per_page: '2000' })
        .expect(200),
    )
    expect(noAgency).to.include(unserved)
    expect(noAgency).not.to.include(walkthroughIds.brinsford)
  })
})
