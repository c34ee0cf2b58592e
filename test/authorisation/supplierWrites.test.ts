import { expect } from 'chai'
import type { Express } from 'express'
import { createApp } from '../../api/app'
import { loadOpenApi } from '../../api/openapi'
import type { Services } from '../../lib/services'
import { as, testClient, type TestClient } from '../support/app'
import { allocationBody, cancelBody, key } from '../support/bodies'
import { aLodging, aMove, location, moveEvent, patch, post } from '../support/builders'
import { testWorld, type World } from '../support/world'

/** The cases issue #13 names, and the decisions around them, one behaviour each. */
describe('Write scope: what a supplier may change, and who may use /api', () => {
  let services: Services
  let app: Express
  let frontend: TestClient
  let serco: TestClient
  let geoamey: TestClient

  let world: World

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend, serco, geoamey } = world)
  })

  /** An allocation from Leeds (Serco's) to Belmarsh (GEOAmey's), made by the frontend: Serco supplies its moves. */
  async function sercoAllocation() {
    const res = await as(app, frontend)
      .post('/api/allocations')
      .set('Idempotency-Key', key())
      .send(
        allocationBody(
          {},
          {
            from: await location(world, 'lei'),
            to: await location(world, 'bmi'),
          },
        ),
      )
      .expect(201)
    return { id: res.body.data.id as string, date: res.body.data.attributes.date as string }
  }

  const allocationState = async (id: string) => ({
    allocation: await services.db('allocations').where({ id }).first(),
    moves: await services.db('moves').where({ allocation_id: id }).orderBy('id'),
    events: await services.db('move_events as e').join('moves as m', 'm.id', 'e.move_id').where('m.allocation_id', id),
  })

  it("when GEOAmey redates an allocation whose moves Serco supplies, then 403 and neither it nor Serco's moves change", async () => {
    const allocation = await sercoAllocation()
    const before = await allocationState(allocation.id)
    const res = await patch(world, geoamey, `/api/allocations/${allocation.id}`)
      .send({ data: { type: 'allocations', id: allocation.id, attributes: { date: '2032-02-02' } } })
      .expect(403)
    expect(res.body.errors[0].code).to.equal('forbidden')
    expect(await allocationState(allocation.id)).to.deep.equal(before)
  })

  it('when GEOAmey cancels an allocation whose moves Serco supplies, then 403 and nothing is cancelled', async () => {
    const allocation = await sercoAllocation()
    const before = await allocationState(allocation.id)
    await post(world, geoamey, `/api/allocations/${allocation.id}/cancel`)
      .send(cancelBody({ cancellation_reason: 'other', cancellation_reason_comment: 'x' }))
      .expect(403)
    expect(await allocationState(allocation.id)).to.deep.equal(before)
  })

  it('when Serco cancels the allocation whose moves it supplies, then 204 and its moves are cancelled', async () => {
    const allocation = await sercoAllocation()
    await post(world, serco, `/api/allocations/${allocation.id}/cancel`)
      .send(cancelBody({ cancellation_reason: 'cancelled_by_pmu' }))
      .expect(204)
    const statuses = await services.db('moves').where({ allocation_id: allocation.id }).pluck('status')
    expect(statuses).to.deep.equal(['cancelled', 'cancelled'])
  })

  it('when one move of an allocation is supplied by another supplier, then neither supplier may change the allocation', async () => {
    const allocation = await sercoAllocation()
    const [first] = await services.db('moves').where({ allocation_id: allocation.id }).orderBy('id').pluck('id')
    const geoameyId = (await services.db('suppliers').where({ key: 'geoamey' }).first('id')).id
    await services.db('moves').where({ id: first }).update({ supplier_id: geoameyId })
    for (const client of [serco, geoamey]) {
      await patch(world, client, `/api/allocations/${allocation.id}`)
        .send({ data: { type: 'allocations', id: allocation.id, attributes: { date: '2032-03-03' } } })
        .expect(403)
    }
  })

  it('when a supplier sees a move only because a stay is planned at one of its locations, then it may read it but not change it', async () => {
    // Serco's move between Serco's prisons, with a night planned at Birmingham Crown Court (GEOAmey's).
    const move = await aMove(world, { by: frontend, from: 'lei', to: 'mdi' })
    await as(app, geoamey).get(`/api/moves/${move.id}`).expect(404)
    await aLodging(world, move, { at: 'brmcc' })
    await as(app, geoamey).get(`/api/moves/${move.id}`).expect(200)
    const res = await moveEvent(world, geoamey, move.id, 'accept').expect(403)
    expect(res.body.errors[0].code).to.equal('forbidden')
    expect((await services.db('moves').where({ id: move.id }).first('status')).status).to.equal('requested')
  })

  it("when another supplier's live move carries a person, then a supplier may not change them; once it is completed, it may", async () => {
    const move = await aMove(world, { by: frontend, from: 'lei', to: 'mdi' })
    const { person_id: personId } = await services.db('profiles').where({ id: move.profileId }).first('person_id')
    const rename = () =>
      patch(world, geoamey, `/api/people/${personId}`).send({
        data: { type: 'people', id: personId, attributes: { first_names: 'RENAMED', last_name: 'TESTER' } },
      })
    await rename().expect(403)
    await patch(world, geoamey, `/api/people/${personId}/profiles/${move.profileId}`)
      .send({ data: { type: 'profiles', id: move.profileId } })
      .expect(403)
    for (const event of ['accept', 'start', 'complete']) await moveEvent(world, serco, move.id, event).expect(204)
    await rename().expect(200)
  })

  it('when a client has only the nomis role, then /api answers 403 to its reads and writes alike', async () => {
    const nomis = await testClient(services, { roles: ['nomis'] })
    const read = await as(app, nomis).get('/api/moves').expect(403)
    expect(read.body.errors[0].code).to.equal('forbidden')
    await as(app, nomis).post('/api/allocations').set('Idempotency-Key', key()).send(allocationBody()).expect(403)
  })

  it('when a client has only other roles (admin, visits-admin, records-admin, queue-admin), then /api bookings are 403 but its admin routes open', async () => {
    const ops = await testClient(services, { roles: ['admin', 'visits-admin', 'records-admin', 'queue-admin'] })
    await as(app, ops).get('/api/moves').expect(403)
    await as(app, ops).get('/api/subscriptions').expect(200)
  })

  it('when a client is made with no supplier and no role, then it is a frontend client with the frontend role', async () => {
    const made = await testClient(services)
    const row = await services.db('api_clients').where({ id: made.id }).first('roles')
    expect(row.roles).to.deep.equal(['frontend'])
    await as(app, made).get('/api/moves').expect(200)
  })

  it('when an admin of a supplier subscribes another supplier, then 403 and nothing is stored', async () => {
    const sercoId = (await services.db('suppliers').where({ key: 'serco' }).first('id')).id
    const geoameyAdmin = await testClient(services, { supplier: 'geoamey', roles: ['admin'] })
    const before = await services.db('subscriptions').count('* as n').first()
    await as(app, geoameyAdmin)
      .post('/api/subscriptions')
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'subscriptions',
          attributes: { email_address: 'pecs@example.test' },
          relationships: { supplier: { data: { type: 'suppliers', id: sercoId } } },
        },
      })
      .expect(403)
    expect(await services.db('subscriptions').count('* as n').first()).to.deep.equal(before)
  })

  it('when a write operation of /api lacks x-write-scope, then the app refuses to start', () => {
    const spec = loadOpenApi()
    const operation = spec.paths['/api/moves/{id}/accept']!.post!
    const declared = operation['x-write-scope']
    delete operation['x-write-scope']
    try {
      expect(() => createApp(services)).to.throw(/acceptMove/)
    } finally {
      operation['x-write-scope'] = declared
    }
  })
})
