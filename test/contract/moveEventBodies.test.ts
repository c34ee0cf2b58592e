import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove } from '../support/builders'
import { locationRef } from '../support/bodies'
import { attr, itRefuses, rel, type RefusedCase } from './bodies'

/**
 * The move event bodies against openapi.yaml (MoveTransition, MoveCancel, MoveApprove, MoveReject,
 * MoveLockout, MoveRedirect). Each is sent to a move in a status that allows the event, so a refusal
 * can only come from the body.
 */
describe('Contract: move event request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let requested: { id: string }
  let proposed: { id: string }
  let booked: { id: string }
  let lei: string

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend } = world)
    requested = await aMove(world)
    proposed = await aMove(world, { status: 'proposed' })
    booked = await aMove(world)
    await send(booked.id, 'accept', { data: { type: 'accepts', attributes: { timestamp: TIMESTAMP } } }).expect(204)
    lei = await location(world, 'lei')
  })

  const TIMESTAMP = '2031-01-01T10:00:00Z'
  const send = (moveId: string, event: string, body: unknown) =>
    as(app, frontend)
      .post(`/api/moves/${moveId}/${event}`)
      .set('Idempotency-Key', key())
      .send(body as object)
  const state = async () => ({
    moves: await services.db('moves').whereIn('id', [requested.id, proposed.id, booked.id]).orderBy('id'),
    events: Number((await services.db('move_events').count('* as n').first())!.n),
  })

  /** What every event body carries, refused the same way on every event endpoint. */
  const shared: RefusedCase[] = [
    { when: 'timestamp is missing', path: attr('timestamp'), value: undefined },
    { when: 'timestamp is a word', path: attr('timestamp'), value: 'yesterday' },
    { when: 'timestamp is on 30 February', path: attr('timestamp'), value: '2031-02-30T10:00:00Z' },
    { when: 'timestamp is at 25:00', path: attr('timestamp'), value: '2031-01-01T25:00:00+01:00' },
    { when: 'timestamp is a number', path: attr('timestamp'), value: 1_900_000_000 },
    { when: 'notes is a number', path: attr('notes'), value: 5 },
    { when: 'attributes are missing', path: attr(), value: undefined },
  ]

  const endpoints: {
    event: string
    move: () => { id: string }
    body: () => { data: { type: string; attributes: Record<string, unknown>; relationships?: object } }
    cases: RefusedCase[]
  }[] = [
    {
      event: 'accept',
      move: () => requested,
      body: () => ({ data: { type: 'accepts', attributes: { timestamp: TIMESTAMP } } }),
      cases: [],
    },
    {
      event: 'start',
      move: () => booked,
      body: () => ({ data: { type: 'starts', attributes: { timestamp: TIMESTAMP, notes: 'off' } } }),
      cases: [],
    },
    {
      event: 'complete',
      move: () => requested,
      body: () => ({ data: { type: 'completes', attributes: { timestamp: TIMESTAMP } } }),
      cases: [],
    },
    {
      event: 'cancel',
      move: () => requested,
      body: () => ({
        data: { type: 'cancels', attributes: { timestamp: TIMESTAMP, cancellation_reason: 'made_in_error' } },
      }),
      cases: [
        { when: 'cancellation_reason is missing', path: attr('cancellation_reason'), value: undefined },
        { when: 'cancellation_reason is a rejection reason', path: attr('cancellation_reason'), value: 'no_space' },
        { when: 'cancellation_reason_comment is a list', path: attr('cancellation_reason_comment'), value: ['x'] },
        {
          when: 'the reason is other and there is no comment',
          path: attr('cancellation_reason'),
          value: 'other',
          at: attr('cancellation_reason_comment'),
        },
      ],
    },
    {
      event: 'approve',
      move: () => proposed,
      body: () => ({ data: { type: 'approves', attributes: { timestamp: TIMESTAMP, date: '2031-03-01' } } }),
      cases: [
        { when: 'date is missing', path: attr('date'), value: undefined },
        { when: 'date is not a calendar date', path: attr('date'), value: '2031-02-29' },
        { when: 'date is a date-time', path: attr('date'), value: '2031-03-01T00:00:00Z' },
      ],
    },
    {
      event: 'reject',
      move: () => requested,
      body: () => ({
        data: { type: 'rejects', attributes: { timestamp: TIMESTAMP, rejection_reason: 'no_transport_available' } },
      }),
      cases: [
        { when: 'rejection_reason is missing', path: attr('rejection_reason'), value: undefined },
        { when: 'rejection_reason is not in the list', path: attr('rejection_reason'), value: 'other' },
        { when: 'cancellation_reason_comment is a number', path: attr('cancellation_reason_comment'), value: 1 },
        { when: 'rebook is a string', path: attr('rebook'), value: 'true' },
      ],
    },
    {
      event: 'lockouts',
      move: () => booked,
      body: () => ({
        data: {
          type: 'lockouts',
          attributes: { timestamp: TIMESTAMP, reason: 'no_space' },
          relationships: { from_location: locationRef(lei) },
        },
      }),
      cases: [
        { when: 'reason is missing', path: attr('reason'), value: undefined },
        { when: 'reason is not in the list', path: attr('reason'), value: 'covid' },
        { when: 'from_location names a move', path: rel('from_location', 'data', 'type'), value: 'moves' },
        { when: 'from_location id is not a UUID', path: rel('from_location', 'data', 'id'), value: 'LEI' },
      ],
    },
    {
      event: 'redirects',
      move: () => requested,
      body: () => ({
        data: {
          type: 'redirects',
          attributes: { timestamp: TIMESTAMP, reason: 'no_space', move_type: 'prison_transfer' },
          relationships: { to_location: locationRef(lei) },
        },
      }),
      cases: [
        { when: 'reason is not in the list', path: attr('reason'), value: 'unachievable_ptr_request' },
        { when: 'move_type is not in the list', path: attr('move_type'), value: 'teleport' },
        { when: 'to_location is missing', path: rel('to_location'), value: undefined },
        { when: 'to_location is null', path: rel('to_location', 'data'), value: null },
        { when: 'to_location names a person', path: rel('to_location', 'data', 'type'), value: 'people' },
        { when: 'relationships are missing', path: ['data', 'relationships'], value: undefined },
      ],
    },
  ]

  for (const endpoint of endpoints) {
    describe(`POST /api/moves/{id}/${endpoint.event}`, () => {
      itRefuses([...shared, ...endpoint.cases], {
        body: endpoint.body,
        send: body => send(endpoint.move().id, endpoint.event, body),
        state,
      })
    })
  }

  it('when an event carries undeclared attributes, then they are ignored: the event happens, and they are stored nowhere', async () => {
    const move = await aMove(world)
    await send(move.id, 'redirects', {
      data: {
        type: 'redirects',
        attributes: { timestamp: TIMESTAMP, status: 'completed', supplier: 'SECRET' },
        relationships: { to_location: locationRef(lei) },
      },
    }).expect(204)
    await send(move.id, 'accept', {
      data: { type: 'accepts', attributes: { timestamp: TIMESTAMP, date: '2040-02-29', notes: 'ok' } },
    }).expect(204)
    const row = await services.db('moves').where({ id: move.id }).first()
    expect(row).to.include({ status: 'booked', to_location_id: lei })
    // Searched as a whole date: no UUID has its two-character groups, so a random id cannot match.
    expect(JSON.stringify(row)).not.to.include('2040-02-29')
    const events = await services.db('move_events').where({ move_id: move.id })
    expect(JSON.stringify(events)).not.to.include('SECRET')
    expect(JSON.stringify(events)).not.to.include('2040-02-29')
  })

  it('when data.type names another event, then it is 409 type_conflict, as JSON:API says, and nothing changes', async () => {
    const before = await state()
    const res = await send(requested.id, 'accept', {
      data: { type: 'cancels', attributes: { timestamp: TIMESTAMP } },
    }).expect(409)
    expect(res.body.errors[0]).to.include({ code: 'type_conflict' })
    expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/type' })
    expect(await state()).to.deep.equal(before)
  })
})
