import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove } from '../support/builders'
import { journeyBody } from '../support/bodies'
import { attr, itRefuses, rel, type RefusedCase } from './bodies'

/**
 * The journey bodies against openapi.yaml (JourneyCreate, JourneyUpdate, and MoveEvent for the eight
 * journey events): each member refused at its pointer with nothing changed.
 */
describe('Contract: journey request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let geoamey: TestClient
  let move: { id: string }
  let journeyId: string
  let bsi: string
  let iwi: string

  const TIMESTAMP = '2031-01-01T09:00:00Z'
  const createBody = () => journeyBody(bsi, iwi, { timestamp: TIMESTAMP })
  const write = (method: 'post' | 'patch', url: string, body: unknown) =>
    as(app, geoamey)
      [method](url)
      .set('Idempotency-Key', key())
      .send(body as object)
  const state = async () => ({
    journeys: await services.db('journeys').where({ move_id: move.id }).orderBy('id'),
    events: Number((await services.db('move_events').where({ move_id: move.id }).count('* as n').first())!.n),
  })

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, geoamey } = world)
    move = await aMove(world, { by: geoamey, from: 'bsi', to: 'iwi' })
    bsi = await location(world, 'bsi')
    iwi = await location(world, 'iwi')
    journeyId = (await write('post', `/api/moves/${move.id}/journeys`, createBody()).expect(201)).body.data.id
  })

  const timestampCases: RefusedCase[] = [
    { when: 'timestamp is on 30 February', path: attr('timestamp'), value: '2031-02-30T09:00:00Z' },
    { when: 'timestamp is at 25:00', path: attr('timestamp'), value: '2031-01-01T25:00:00Z' },
    { when: 'timestamp has no offset', path: attr('timestamp'), value: '2031-01-01T09:00:00' },
    { when: 'timestamp is a number', path: attr('timestamp'), value: 1_900_000_000 },
  ]
  const attributeCases: RefusedCase[] = [
    ...timestampCases,
    { when: 'billable is a string', path: attr('billable'), value: 'yes' },
    { when: 'vehicle is a list', path: attr('vehicle'), value: [1] },
    { when: 'vehicle has another member', path: attr('vehicle', 'colour'), value: 'red' },
    { when: 'vehicle registration is a number', path: attr('vehicle', 'registration'), value: 12 },
    { when: 'vehicle id is too long', path: attr('vehicle', 'id'), value: 'v'.repeat(101) },
  ]

  describe('POST /api/moves/{id}/journeys', () => {
    itRefuses(
      [
        ...attributeCases,
        { when: 'timestamp is missing', path: attr('timestamp'), value: undefined },
        { when: 'from_location is missing', path: rel('from_location'), value: undefined },
        { when: 'to_location is null', path: rel('to_location', 'data'), value: null },
        { when: 'to_location names a person', path: rel('to_location', 'data', 'type'), value: 'people' },
        { when: 'from_location id is not a UUID', path: rel('from_location', 'data', 'id'), value: 'BSI' },
        { when: 'relationships are missing', path: ['data', 'relationships'], value: undefined },
      ],
      { body: createBody, send: body => write('post', `/api/moves/${move.id}/journeys`, body), state },
    )
  })

  describe('PATCH /api/moves/{id}/journeys/{journey_id}', () => {
    itRefuses(attributeCases, {
      body: () => ({ data: { type: 'journeys', id: journeyId, attributes: { billable: false } } }),
      send: body => write('patch', `/api/moves/${move.id}/journeys/${journeyId}`, body),
      state,
    })
  })

  for (const event of ['start', 'reject', 'complete', 'uncomplete', 'cancel', 'uncancel', 'lockouts', 'lodgings']) {
    describe(`POST /api/moves/{id}/journeys/{journey_id}/${event}`, () => {
      itRefuses(
        [
          ...timestampCases,
          { when: 'timestamp is missing', path: attr('timestamp'), value: undefined },
          { when: 'notes is a number', path: attr('notes'), value: 5 },
          { when: 'attributes are missing', path: attr(), value: undefined },
        ],
        {
          body: () => ({
            data: { type: event.endsWith('s') ? event : `${event}s`, attributes: { timestamp: TIMESTAMP } },
          }),
          send: body => write('post', `/api/moves/${move.id}/journeys/${journeyId}/${event}`, body),
          state,
        },
      )
    })
  }

  it('when a journey carries undeclared attributes, then they are ignored and stored nowhere', async () => {
    const body = createBody()
    Object.assign(body.data.attributes, { state: 'completed', supplier: 'SECRET' })
    const res = await write('post', `/api/moves/${move.id}/journeys`, body).expect(201)
    const row = await services.db('journeys').where({ id: res.body.data.id }).first()
    expect(row.state).to.equal('proposed')
    expect(JSON.stringify(row)).not.to.include('SECRET')
  })
})
