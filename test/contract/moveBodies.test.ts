import { expect } from 'chai'
import type { Express } from 'express'
import { loadOpenApi } from '../../api/openapi'
import { MOVE_TYPES } from '../../lib/moves/moves'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, uniqueDate, location, aProfile, aMove } from '../support/builders'
import { locationRef } from '../support/bodies'
import { attr, itRefuses, rel, withMember, type RefusedCase } from './bodies'

/** The move bodies against openapi.yaml (MoveCreate, MoveUpdate). */
describe('Contract: move request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let profileId: string
  let move: { id: string }
  let bsi: string
  let iwi: string

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend } = world)
    profileId = await aProfile(world)
    move = await aMove(world)
    bsi = await location(world, 'bsi')
    iwi = await location(world, 'iwi')
  })

  const state = async () => ({
    moves: Number((await services.db('moves').count('* as n').first())!.n),
    events: Number((await services.db('move_events').count('* as n').first())!.n),
    move: await services.db('moves').where({ id: move.id }).first(),
  })

  describe('POST /api/moves (createMove)', () => {
    const requested = () => ({
      data: {
        type: 'moves',
        attributes: { move_type: 'prison_transfer', date: uniqueDate(), time_due: '2031-01-01T09:00:00Z' },
        relationships: {
          from_location: locationRef(bsi),
          to_location: locationRef(iwi),
          profile: { data: { type: 'profiles', id: profileId } },
          prison_transfer_reason: { data: null },
        },
      },
    })
    const proposed = () => ({
      data: {
        ...requested().data,
        attributes: { move_type: 'prison_transfer', status: 'proposed', date_from: uniqueDate() },
      },
    })
    const send = (body: unknown) =>
      as(app, frontend)
        .post('/api/moves')
        .set('Idempotency-Key', key())
        .send(body as object)

    describe('a requested move', () => {
      const cases: RefusedCase[] = [
        { when: 'move_type is missing', path: attr('move_type'), value: undefined },
        { when: 'move_type is not in the list', path: attr('move_type'), value: 'teleport' },
        { when: 'status is booked', path: attr('status'), value: 'booked' },
        { when: 'date is missing', path: attr('date'), value: undefined },
        { when: 'date is null', path: attr('date'), value: null },
        { when: 'date is not a calendar date', path: attr('date'), value: '2031-02-30' },
        { when: 'date is written the British way', path: attr('date'), value: '31/12/2031' },
        { when: 'date_from is not a calendar date', path: attr('date_from'), value: '2031-04-31' },
        { when: 'date_to is a number', path: attr('date_to'), value: 20310101 },
        { when: 'time_due is a time without a date', path: attr('time_due'), value: '09:00' },
        { when: 'additional_information is a number', path: attr('additional_information'), value: 5 },
        { when: 'move_agreed is a string', path: attr('move_agreed'), value: 'yes' },
        { when: 'move_agreed_by is a boolean', path: attr('move_agreed_by'), value: true },
        { when: 'attributes are missing', path: attr(), value: undefined },
        { when: 'from_location is missing', path: rel('from_location'), value: undefined },
        { when: 'from_location is null', path: rel('from_location', 'data'), value: null },
        { when: 'from_location names a court hearing', path: rel('from_location', 'data', 'type'), value: 'courts' },
        { when: 'to_location is missing for a prison transfer', path: rel('to_location'), value: undefined },
        {
          when: 'to_location is null for a prison transfer',
          path: rel('to_location', 'data'),
          value: null,
          at: rel('to_location', 'data'),
        },
        { when: 'to_location id is not a UUID', path: rel('to_location', 'data', 'id'), value: 'IWI' },
        { when: 'the profile names a person', path: rel('profile', 'data', 'type'), value: 'people' },
        { when: 'the profile has no id', path: rel('profile', 'data', 'id'), value: undefined },
        {
          when: 'the prison transfer reason is a string',
          path: rel('prison_transfer_reason', 'data'),
          value: 'other',
        },
      ]
      itRefuses(cases, { body: requested, send, state })
    })

    describe('a proposed move', () => {
      itRefuses(
        [
          { when: 'date_from is missing', path: attr('date_from'), value: undefined },
          { when: 'date_from is null', path: attr('date_from'), value: null },
          { when: 'there is no profile', path: rel('profile'), value: undefined },
          { when: 'the profile is null', path: rel('profile', 'data'), value: null },
        ],
        { body: proposed, send, state },
      )
    })

    it('when a prison recall has no to_location, then the contract lets it through', async () => {
      const body = withMember(
        withMember(requested(), attr('move_type'), 'prison_recall'),
        rel('from_location'),
        locationRef(await location(world, 'wmp000')),
      )
      await send(withMember(body, rel('to_location'), undefined)).expect(201)
    })

    it('when an attribute is not declared, then it is ignored: 201, and it is stored nowhere', async () => {
      const res = await send(
        withMember(withMember(requested(), attr('reference'), 'ZZZ9999Z'), attr('is_lockout'), true),
      ).expect(201)
      const row = await services.db('moves').where({ id: res.body.data.id }).first()
      expect(row.reference).not.to.equal('ZZZ9999Z')
      expect(row.is_lockout).to.equal(false)
    })
  })

  it('when the contract’s move types are compared with the move list filter’s, then they are the same list', () => {
    const schemas = (loadOpenApi() as unknown as { components: { schemas: Record<string, { enum: string[] }> } })
      .components.schemas
    expect(schemas.MoveType!.enum).to.deep.equal([...MOVE_TYPES])
  })

  describe('PATCH /api/moves/{id} (updateMove)', () => {
    const body = () => ({
      data: {
        type: 'moves',
        id: move.id,
        attributes: { additional_information: 'changed', move_agreed: true },
        relationships: { profile: { data: { type: 'profiles', id: profileId } } },
      },
    })
    const send = (b: unknown) =>
      as(app, frontend)
        .patch(`/api/moves/${move.id}`)
        .set('Idempotency-Key', key())
        .send(b as object)
    itRefuses(
      [
        { when: 'date is not a calendar date', path: attr('date'), value: '2031-02-30' },
        { when: 'date is null', path: attr('date'), value: null },
        { when: 'time_due is not a date-time', path: attr('time_due'), value: 'noon' },
        { when: 'additional_information is a number', path: attr('additional_information'), value: 5 },
        { when: 'move_agreed is a string', path: attr('move_agreed'), value: 'true' },
        { when: 'move_agreed_by is a number', path: attr('move_agreed_by'), value: 1 },
        { when: 'the profile names a person', path: rel('profile', 'data', 'type'), value: 'people' },
        { when: 'the profile id is not a UUID', path: rel('profile', 'data', 'id'), value: 'A1234BC' },
        { when: 'the profile has no data', path: rel('profile', 'data'), value: undefined },
        {
          when: 'the prison transfer reason names a location',
          path: rel('prison_transfer_reason'),
          value: locationRef(crypto.randomUUID()),
          at: rel('prison_transfer_reason', 'data', 'type'),
        },
      ],
      { body, send, state },
    )

    it('when an attribute is not declared, then it is ignored: 200, and it is stored nowhere', async () => {
      const before = await services.db('moves').where({ id: move.id }).first()
      await send(
        withMember(withMember(body(), attr('cancellation_reason'), 'other'), attr('reference'), 'ZZZ9999Z'),
      ).expect(200)
      const after = await services.db('moves').where({ id: move.id }).first()
      expect(after).to.include({
        cancellation_reason: before.cancellation_reason,
        reference: before.reference,
        additional_information: 'changed',
      })
    })

    it('when data.id is not the URL’s, then it is 409 type_conflict, as JSON:API says', async () => {
      const before = await state()
      const res = await send(withMember(body(), ['data', 'id'], crypto.randomUUID())).expect(409)
      expect(res.body.errors[0]).to.include({ code: 'type_conflict' })
      expect(await state()).to.deep.equal(before)
    })
  })
})
