import { expect } from 'chai'
import type { Express } from 'express'
import { addDays } from '../../lib/calendar'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove, moveEvent, aJourney } from '../support/builders'
import { locationRef, eventBody } from '../support/bodies'

describe('Book a Secure Move: journeys', () => {
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

  const addJourney = (client: TestClient, moveId: string, from = 'bsi', to = 'iwi') =>
    aJourney(world, moveId, { by: client, from, to })

  const journeyEvent = (client: TestClient, moveId: string, id: string, event: string) =>
    as(app, client)
      .post(`/api/moves/${moveId}/journeys/${id}/${event}`)
      .set('Idempotency-Key', key())
      .send(eventBody(event, { timestamp: '2031-01-01T12:00:00Z' }))
  const lodgingEvent = (client: TestClient, moveId: string, id: string, event: 'start' | 'complete') =>
    as(app, client)
      .post(`/api/moves/${moveId}/lodgings/${id}/${event}`)
      .set('Idempotency-Key', key())
      .send(eventBody(event, { timestamp: '2031-01-01T20:00:00Z' }))
  const state = async (id: string) => (await services.db('journeys').where({ id }).first('state')).state as string

  it('when a move goes from request to completion through journeys, a redirect, a lockout and a lodging, then each step is taken', async () => {
    const move = await aMove(world, { by: geoamey, from: 'bsi', to: 'iwi' })
    await moveEvent(world, geoamey, move.id, 'accept').expect(204)
    await moveEvent(world, geoamey, move.id, 'start').expect(204)
    const first = await addJourney(geoamey, move.id, 'bsi', 'brmcc')
    expect(first.attributes).to.include({ state: 'proposed', billable: true, timestamp: '2031-01-01T09:00:00.000Z' })
    expect(first.attributes.vehicle).to.deep.equal({ id: 'v1', registration: 'AB12 CDE' })
    await journeyEvent(geoamey, move.id, first.id, 'start').expect(204)
    await moveEvent(
      world,
      geoamey,
      move.id,
      'redirects',
      { reason: 'no_space' },
      { to_location: locationRef(await location(world, 'bmi')) },
    ).expect(204)
    await journeyEvent(geoamey, move.id, first.id, 'lockouts').expect(204)
    const lodging = await as(app, geoamey)
      .post(`/api/moves/${move.id}/lodgings`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'lodgings',
          attributes: { start_date: move.date, end_date: addDays(move.date, 1) },
          relationships: { location: locationRef(await location(world, 'brmcc')) },
        },
      })
      .expect(201)
    const lodgingId = lodging.body.data.id as string
    await lodgingEvent(geoamey, move.id, lodgingId, 'start').expect(204)
    await journeyEvent(geoamey, move.id, first.id, 'lodgings').expect(204)
    await journeyEvent(geoamey, move.id, first.id, 'complete').expect(204)
    await lodgingEvent(geoamey, move.id, lodgingId, 'complete').expect(204)
    const second = await addJourney(geoamey, move.id, 'brmcc', 'bmi')
    await journeyEvent(geoamey, move.id, second.id, 'start').expect(204)
    await journeyEvent(geoamey, move.id, second.id, 'complete').expect(204)
    await moveEvent(world, geoamey, move.id, 'complete').expect(204)

    const list = await as(app, geoamey).get(`/api/moves/${move.id}/journeys`).expect(200)
    expect(list.body.data.map((j: { attributes: { state: string } }) => j.attributes.state)).to.deep.equal([
      'completed',
      'completed',
    ])
    const types = (await services.db('move_events').where({ move_id: move.id }).orderBy('id').select('event_type')).map(
      e => e.event_type,
    )
    expect(types).to.include.members([
      'JourneyCreate',
      'JourneyStart',
      'MoveRedirect',
      'JourneyLockout',
      'LodgingCreate',
      'MoveLodgingStart',
      'JourneyLodging',
      'JourneyComplete',
      'MoveLodgingEnd',
      'MoveComplete',
    ])
  })

  it('when a completion or cancellation is undone, then the journey goes back; events the machine does not allow are 409', async () => {
    const move = await aMove(world)
    const journey = await addJourney(frontend, move.id)
    const refused = await journeyEvent(frontend, move.id, journey.id, 'complete').expect(409)
    expect(refused.body.errors[0].meta).to.deep.equal({ status: 'proposed', event: 'complete' })
    await journeyEvent(frontend, move.id, journey.id, 'start').expect(204)
    await journeyEvent(frontend, move.id, journey.id, 'complete').expect(204)
    await journeyEvent(frontend, move.id, journey.id, 'uncomplete').expect(204)
    await journeyEvent(frontend, move.id, journey.id, 'cancel').expect(204)
    await journeyEvent(frontend, move.id, journey.id, 'lodgings').expect(409)
    await journeyEvent(frontend, move.id, journey.id, 'uncancel').expect(204)
    expect(await state(journey.id)).to.equal('in_progress')
    const other = await addJourney(frontend, move.id)
    await journeyEvent(frontend, move.id, other.id, 'reject').expect(204)
    await journeyEvent(frontend, move.id, other.id, 'start').expect(409)
    expect(await state(other.id)).to.equal('rejected')
  })

  it('when a journey is patched, then billable and vehicle change, a change of location is refused, and a new journey is validated', async () => {
    const move = await aMove(world)
    const journey = await addJourney(frontend, move.id)
    const patch = (body: object) =>
      as(app, frontend)
        .patch(`/api/moves/${move.id}/journeys/${journey.id}`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'journeys', id: journey.id, ...body } })
    const res = await patch({ attributes: { billable: false, vehicle: null } }).expect(200)
    expect(res.body.data.attributes).to.include({ billable: false, vehicle: null })
    await patch({ relationships: { to_location: locationRef(await location(world, 'lei')) } }).expect(422)
    await patch({ attributes: { billable: 'no' } }).expect(422)
    const bad = await as(app, frontend)
      .post(`/api/moves/${move.id}/journeys`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'journeys', attributes: { vehicle: [1] } } })
      .expect(422)
    expect(bad.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
      '/data/attributes/timestamp',
      '/data/attributes/vehicle',
      '/data/relationships',
    ])
    const get = await as(app, frontend).get(`/api/moves/${move.id}/journeys/${journey.id}`).expect(200)
    expect(get.body.data.attributes.billable).to.equal(false)
  })

  it("when another supplier asks for a move's journeys, then it sees only those it drives", async () => {
    // Serco's move (it serves Leeds), which GEOAmey sees because it ends at Brinsford, one of its prisons.
    const move = await aMove(world, { from: 'lei', to: 'bsi' })
    const journey = await addJourney(serco, move.id, 'lei', 'bsi')
    await as(app, serco).get(`/api/moves/${move.id}/journeys/${journey.id}`).expect(200)
    await as(app, geoamey).get(`/api/moves/${move.id}/journeys/${journey.id}`).expect(404)
    const list = await as(app, geoamey).get(`/api/moves/${move.id}/journeys`).expect(200)
    expect(list.body.data).to.deep.equal([])
    // Seeing the move gives no right to change it or its journeys (issue #13, write scope).
    await journeyEvent(geoamey, move.id, journey.id, 'start').expect(403)
    const unrelated = await aMove(world, { from: 'bsi', to: 'iwi' })
    await as(app, serco).get(`/api/moves/${unrelated.id}/journeys`).expect(404)
  })
})
