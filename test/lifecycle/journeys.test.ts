import { expect } from 'chai'
import type { Express } from 'express'
import { addDays } from '../../lib/calendar'
import type { Services } from '../../lib/services'
import { as, testApp, testClient, testServices, type TestClient } from '../support/app'
import { key } from '../moves/fixtures'
import { location, locationRef, makeMove, moveEvent } from './fixtures'

describe('Book a Secure Move: journeys', () => {
  let services: Services
  let app: Express
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient

  before(async () => {
    services = await testServices()
    app = testApp(services)
    frontend = await testClient(services)
    geoamey = await testClient(services, { supplier: 'geoamey' })
    serco = await testClient(services, { supplier: 'serco' })
  })

  async function addJourney(client: TestClient, moveId: string, from = 'bsi', to = 'iwi') {
    const res = await as(app, client)
      .post(`/api/moves/${moveId}/journeys`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'journeys',
          attributes: {
            timestamp: '2031-01-01T09:00:00Z',
            billable: true,
            vehicle: { id: 'v1', registration: 'AB12 CDE' },
          },
          relationships: {
            from_location: locationRef(await location(services, from)),
            to_location: locationRef(await location(services, to)),
          },
        },
      })
      .expect(201)
    return res.body.data as { id: string; attributes: Record<string, unknown> }
  }

  const journeyEvent = (client: TestClient, moveId: string, id: string, event: string) =>
    as(app, client)
      .post(`/api/moves/${moveId}/journeys/${id}/${event}`)
      .set('Idempotency-Key', key())
      .send({
        data: { type: event.endsWith('s') ? event : `${event}s`, attributes: { timestamp: '2031-01-01T12:00:00Z' } },
      })
  const lodgingEvent = (client: TestClient, moveId: string, id: string, event: 'start' | 'complete') =>
    as(app, client)
      .post(`/api/moves/${moveId}/lodgings/${id}/${event}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: `${event}s`, attributes: { timestamp: '2031-01-01T20:00:00Z' } } })
  const state = async (id: string) => (await services.db('journeys').where({ id }).first('state')).state as string

  it('takes a move from request to completion through journeys, a redirect, a lockout and a lodging', async () => {
    const move = await makeMove(app, services, geoamey, { from: 'bsi', to: 'iwi' })
    await moveEvent(app, geoamey, move.id, 'accept').expect(204)
    await moveEvent(app, geoamey, move.id, 'start').expect(204)
    const first = await addJourney(geoamey, move.id, 'bsi', 'brmcc')
    expect(first.attributes).to.include({ state: 'proposed', billable: true, timestamp: '2031-01-01T09:00:00.000Z' })
    expect(first.attributes.vehicle).to.deep.equal({ id: 'v1', registration: 'AB12 CDE' })
    await journeyEvent(geoamey, move.id, first.id, 'start').expect(204)
    await moveEvent(
      app,
      geoamey,
      move.id,
      'redirects',
      { reason: 'no_space' },
      { to_location: locationRef(await location(services, 'bmi')) },
    ).expect(204)
    await journeyEvent(geoamey, move.id, first.id, 'lockouts').expect(204)
    const lodging = await as(app, geoamey)
      .post(`/api/moves/${move.id}/lodgings`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'lodgings',
          attributes: { start_date: move.date, end_date: addDays(move.date, 1) },
          relationships: { location: locationRef(await location(services, 'brmcc')) },
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
    await moveEvent(app, geoamey, move.id, 'complete').expect(204)

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

  it('undoes a completion and a cancellation, and refuses events the machine does not allow with 409', async () => {
    const move = await makeMove(app, services, frontend)
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

  it('changes billable and vehicle with PATCH, refuses a change of location, and validates a new journey', async () => {
    const move = await makeMove(app, services, frontend)
    const journey = await addJourney(frontend, move.id)
    const patch = (body: object) =>
      as(app, frontend)
        .patch(`/api/moves/${move.id}/journeys/${journey.id}`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'journeys', id: journey.id, ...body } })
    const res = await patch({ attributes: { billable: false, vehicle: null } }).expect(200)
    expect(res.body.data.attributes).to.include({ billable: false, vehicle: null })
    await patch({ relationships: { to_location: locationRef(await location(services, 'lei')) } }).expect(422)
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

  it('scopes journeys to the supplier that drives them', async () => {
    const move = await makeMove(app, services, frontend, { from: 'bsi', to: 'lei' })
    const journey = await addJourney(serco, move.id, 'bsi', 'lei')
    await as(app, serco).get(`/api/moves/${move.id}/journeys/${journey.id}`).expect(200)
    await as(app, geoamey).get(`/api/moves/${move.id}/journeys/${journey.id}`).expect(404)
    const list = await as(app, geoamey).get(`/api/moves/${move.id}/journeys`).expect(200)
    expect(list.body.data).to.deep.equal([])
    await journeyEvent(geoamey, move.id, journey.id, 'start').expect(404)
    const unrelated = await makeMove(app, services, frontend, { from: 'bsi', to: 'iwi' })
    await as(app, serco).get(`/api/moves/${unrelated.id}/journeys`).expect(404)
  })
})
