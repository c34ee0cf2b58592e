import { expect } from 'chai'
import type { Express } from 'express'
import { addDays } from '../../lib/calendar'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove, moveEvent } from '../support/builders'
import { lodgingBody } from '../support/bodies'
import { attr, itRefuses, rel, type RefusedCase } from './bodies'

/**
 * The lodging bodies against openapi.yaml (LodgingCreate, LodgingUpdate, LodgingStart, MoveEvent for
 * completion, LodgingCancel for one or all): each member refused at its pointer with nothing changed.
 */
describe('Contract: lodging request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let geoamey: TestClient
  let move: { id: string; date: string }
  let lodgingId: string
  let brmcc: string

  const TIMESTAMP = '2031-01-01T20:00:00Z'
  const createBody = () => lodgingBody(brmcc, move.date, addDays(move.date, 1))
  const write = (method: 'post' | 'patch', url: string, body: unknown) =>
    as(app, geoamey)
      [method](url)
      .set('Idempotency-Key', key())
      .send(body as object)
  const state = async () => ({
    lodgings: await services.db('lodgings').where({ move_id: move.id }).orderBy('id'),
    events: Number((await services.db('move_events').where({ move_id: move.id }).count('* as n').first())!.n),
  })

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, geoamey } = world)
    move = await aMove(world, { by: geoamey, from: 'bsi', to: 'iwi' })
    await moveEvent(world, geoamey, move.id, 'accept').expect(204)
    await moveEvent(world, geoamey, move.id, 'start').expect(204)
    brmcc = await location(world, 'brmcc')
    lodgingId = (await write('post', `/api/moves/${move.id}/lodgings`, createBody()).expect(201)).body.data.id
  })

  const dateCases = (name: string): RefusedCase[] => [
    { when: `${name} is 30 February`, path: attr(name), value: '2031-02-30' },
    { when: `${name} is a date-time`, path: attr(name), value: '2031-01-01T00:00:00Z' },
    { when: `${name} is a number`, path: attr(name), value: 20310101 },
  ]
  const eventCases: RefusedCase[] = [
    { when: 'timestamp is missing', path: attr('timestamp'), value: undefined },
    { when: 'timestamp is at 25:00', path: attr('timestamp'), value: '2031-01-01T25:00:00Z' },
    { when: 'timestamp is on 30 February', path: attr('timestamp'), value: '2031-02-30T10:00:00Z' },
    { when: 'notes is a number', path: attr('notes'), value: 5 },
  ]

  describe('POST /api/moves/{id}/lodgings', () => {
    itRefuses(
      [
        ...dateCases('start_date'),
        ...dateCases('end_date'),
        { when: 'start_date is missing', path: attr('start_date'), value: undefined },
        { when: 'end_date is missing', path: attr('end_date'), value: undefined },
        { when: 'location is missing', path: rel('location'), value: undefined },
        { when: 'location is null', path: rel('location', 'data'), value: null },
        { when: 'location id is not a UUID', path: rel('location', 'data', 'id'), value: 'BRMCC' },
      ],
      { body: createBody, send: body => write('post', `/api/moves/${move.id}/lodgings`, body), state },
    )
  })

  describe('PATCH /api/moves/{id}/lodgings/{lodging_id}', () => {
    itRefuses(
      [
        ...dateCases('end_date'),
        { when: 'start_date is sent', path: attr('start_date'), value: '2031-01-05' },
        { when: 'location is null', path: rel('location', 'data'), value: null },
      ],
      {
        body: () => ({ data: { type: 'lodgings', id: lodgingId, attributes: { end_date: addDays(move.date, 2) } } }),
        send: body => write('patch', `/api/moves/${move.id}/lodgings/${lodgingId}`, body),
        state,
      },
    )
  })

  describe('POST /api/moves/{id}/lodgings/{lodging_id}/start', () => {
    itRefuses([...eventCases, { when: 'reason is not in the list', path: attr('reason'), value: 'holiday' }], {
      body: () => ({ data: { type: 'starts', attributes: { timestamp: TIMESTAMP, reason: 'lockout' } } }),
      send: body => write('post', `/api/moves/${move.id}/lodgings/${lodgingId}/start`, body),
      state,
    })
  })

  describe('POST /api/moves/{id}/lodgings/{lodging_id}/complete', () => {
    itRefuses(eventCases, {
      body: () => ({ data: { type: 'completes', attributes: { timestamp: TIMESTAMP } } }),
      send: body => write('post', `/api/moves/${move.id}/lodgings/${lodgingId}/complete`, body),
      state,
    })
  })

  const cancelCases: RefusedCase[] = [
    ...eventCases,
    { when: 'cancellation_reason is missing', path: attr('cancellation_reason'), value: undefined },
    { when: "cancellation_reason is a move's reason", path: attr('cancellation_reason'), value: 'tornado_event' },
    {
      when: 'the reason is other and there is no comment',
      path: attr('cancellation_reason'),
      value: 'other',
      at: attr('cancellation_reason_comment'),
    },
  ]
  const cancelBody = () => ({
    data: { type: 'cancels', attributes: { timestamp: TIMESTAMP, cancellation_reason: 'made_in_error' } },
  })
  for (const [path, url] of [
    ['{lodging_id}/cancel', () => `/api/moves/${move.id}/lodgings/${lodgingId}/cancel`],
    ['cancel', () => `/api/moves/${move.id}/lodgings/cancel`],
  ] as const) {
    describe(`POST /api/moves/{id}/lodgings/${path}`, () => {
      itRefuses(cancelCases, { body: cancelBody, send: body => write('post', url(), body), state })
    })
  }

  it('when a lodging carries undeclared attributes, then they are ignored and stored nowhere', async () => {
    const body = createBody()
    Object.assign(body.data.attributes, {
      start_date: addDays(move.date, 3),
      end_date: addDays(move.date, 4),
      status: 'completed',
      note: 'SECRET',
    })
    const res = await write('post', `/api/moves/${move.id}/lodgings`, body).expect(201)
    const row = await services.db('lodgings').where({ id: res.body.data.id }).first()
    expect(row.status).to.equal('proposed')
    expect(JSON.stringify(row)).not.to.include('SECRET')
  })
})
