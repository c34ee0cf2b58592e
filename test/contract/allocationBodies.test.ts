import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, anAllocation } from '../support/builders'
import { allocationBody } from '../support/bodies'
import { attr, itRefuses, rel, withMember, type RefusedCase } from './bodies'

/** The allocation bodies against openapi.yaml (AllocationCreate, AllocationUpdate, MoveCancel). */
const withAttribute = <T>(body: T, name: string, value: unknown) => withMember(body, attr(name), value)

describe('Contract: allocation request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let allocation: { id: string; date: string; moveIds: string[] }

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend } = world)
    allocation = await anAllocation(world)
  })

  const count = async (table: string) => Number((await services.db(table).count('* as n').first())!.n)
  /** Everything an allocation request could change. */
  const state = async () => ({
    allocations: await count('allocations'),
    moves: await count('moves'),
    events: await count('move_events'),
    allocation: await services.db('allocations').where({ id: allocation.id }).first(),
    itsMoves: await services.db('moves').whereIn('id', allocation.moveIds).orderBy('id'),
  })

  describe('POST /api/allocations (createAllocation)', () => {
    const cases: RefusedCase[] = [
      { when: 'moves_count is a string', path: attr('moves_count'), value: '2' },
      { when: 'moves_count is 0', path: attr('moves_count'), value: 0 },
      { when: 'moves_count is 201', path: attr('moves_count'), value: 201 },
      { when: 'moves_count is not whole', path: attr('moves_count'), value: 1.5 },
      { when: 'moves_count is missing', path: attr('moves_count'), value: undefined },
      { when: 'date is not a calendar date', path: attr('date'), value: '2031-02-30' },
      { when: 'date is a number', path: attr('date'), value: 20310101 },
      { when: 'date is null', path: attr('date'), value: null },
      { when: 'date is missing', path: attr('date'), value: undefined },
      { when: 'estate is not in the list', path: attr('estate'), value: 'castle' },
      { when: 'estate_comment is a number', path: attr('estate_comment'), value: 5 },
      { when: 'prisoner_category is not in the list', path: attr('prisoner_category'), value: 'z' },
      { when: 'sentence_length is not in the list', path: attr('sentence_length'), value: 'forever' },
      { when: 'sentence_length_comment is a boolean', path: attr('sentence_length_comment'), value: true },
      { when: 'complex_cases is a string', path: attr('complex_cases'), value: 'none' },
      {
        when: 'a complex case has no allocation_complex_case_id',
        path: attr('complex_cases'),
        value: [{ key: 'hold_separately', answer: true }],
        at: attr('complex_cases', 0, 'allocation_complex_case_id'),
      },
      {
        when: 'a complex case id is not a UUID',
        path: attr('complex_cases'),
        value: [{ allocation_complex_case_id: 'hold_separately' }],
        at: attr('complex_cases', 0, 'allocation_complex_case_id'),
      },
      {
        when: 'a complex case answer is a string',
        path: attr('complex_cases'),
        value: [{ allocation_complex_case_id: walkthroughIds.holdSeparately, answer: 'maybe' }],
        at: attr('complex_cases', 0, 'answer'),
      },
      {
        when: 'a complex case title is a number',
        path: attr('complex_cases'),
        value: [{ allocation_complex_case_id: walkthroughIds.holdSeparately, title: 1 }],
        at: attr('complex_cases', 0, 'title'),
      },
      { when: 'complete_in_full is a string', path: attr('complete_in_full'), value: 'yes' },
      { when: 'requested_by is a number', path: attr('requested_by'), value: 1 },
      { when: 'other_criteria is a list', path: attr('other_criteria'), value: ['x'] },
      { when: 'from_location is missing', path: rel('from_location'), value: undefined },
      { when: 'to_location is missing', path: rel('to_location'), value: undefined },
      { when: 'from_location is null', path: rel('from_location', 'data'), value: null },
      { when: 'from_location names a person', path: rel('from_location', 'data', 'type'), value: 'people' },
      { when: 'to_location id is not a UUID', path: rel('to_location', 'data', 'id'), value: 'BSI' },
    ]
    itRefuses(cases, {
      body: () => allocationBody(),
      send: body =>
        as(app, frontend)
          .post('/api/allocations')
          .set('Idempotency-Key', key())
          .send(body as object),
      state,
    })

    it('when an attribute is not declared, then it is ignored: 201, and it is stored nowhere', async () => {
      const body = allocationBody({
        favourite_colour: 'blue',
        complex_cases: [{ allocation_complex_case_id: walkthroughIds.holdSeparately, answer: true, secret: 'x' }],
      })
      const res = await as(app, frontend).post('/api/allocations').set('Idempotency-Key', key()).send(body).expect(201)
      const row = await services.db('allocations').where({ id: res.body.data.id }).first()
      expect(JSON.stringify(row)).not.to.include('blue')
      expect(row.complex_cases).to.deep.equal([
        { allocation_complex_case_id: walkthroughIds.holdSeparately, answer: true },
      ])
    })

    it('when data.type is another resource type, then it is 409 type_conflict, as JSON:API says', async () => {
      const before = await state()
      const res = await as(app, frontend)
        .post('/api/allocations')
        .set('Idempotency-Key', key())
        .send({ ...allocationBody(), data: { ...allocationBody().data, type: 'moves' } })
        .expect(409)
      expect(res.body.errors[0]).to.include({ code: 'type_conflict' })
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/type' })
      expect(await state()).to.deep.equal(before)
    })
  })

  describe('PATCH /api/allocations/{id} (updateAllocation)', () => {
    const body = () => ({
      data: { type: 'allocations', id: allocation.id, attributes: { date: '2031-06-01', date_changed_reason: 'x' } },
    })
    const send = (b: unknown) =>
      as(app, frontend)
        .patch(`/api/allocations/${allocation.id}`)
        .set('Idempotency-Key', key())
        .send(b as object)
    itRefuses(
      [
        { when: 'date is missing', path: attr('date'), value: undefined },
        { when: 'date is not a calendar date', path: attr('date'), value: '2031-13-01' },
        { when: 'date is null', path: attr('date'), value: null },
        { when: 'date_changed_reason is a number', path: attr('date_changed_reason'), value: 5 },
        { when: 'attributes are missing', path: attr(), value: undefined },
      ],
      { body, send, state },
    )

    it('when an attribute is not declared, then it is ignored: 200', async () => {
      const res = await send(withAttribute(body(), 'moves_count', 7)).expect(200)
      expect(res.body.data.attributes.date).to.equal('2031-06-01')
      expect(res.body.data.attributes.moves_count).not.to.equal(7)
    })
  })

  describe('POST /api/allocations/{id}/cancel (cancelAllocation)', () => {
    const body = () => ({
      data: {
        type: 'cancels',
        attributes: { timestamp: '2031-01-01T09:00:00Z', cancellation_reason: 'made_in_error' },
      },
    })
    const send = (b: unknown) =>
      as(app, frontend)
        .post(`/api/allocations/${allocation.id}/cancel`)
        .set('Idempotency-Key', key())
        .send(b as object)
    itRefuses(
      [
        { when: 'timestamp is missing', path: attr('timestamp'), value: undefined },
        { when: 'timestamp is a date without a time', path: attr('timestamp'), value: '2031-01-01' },
        { when: 'timestamp is at 25:00', path: attr('timestamp'), value: '2031-01-01T25:00:00Z' },
        { when: 'timestamp has no offset', path: attr('timestamp'), value: '2031-01-01T09:00:00' },
        { when: 'notes is a number', path: attr('notes'), value: 5 },
        { when: 'cancellation_reason is missing', path: attr('cancellation_reason'), value: undefined },
        { when: 'cancellation_reason is not in the list', path: attr('cancellation_reason'), value: 'bored' },
        { when: 'cancellation_reason_comment is a number', path: attr('cancellation_reason_comment'), value: 5 },
        {
          when: 'the reason is other and there is no comment',
          path: attr('cancellation_reason'),
          value: 'other',
          at: attr('cancellation_reason_comment'),
        },
      ],
      { body, send, state },
    )

    it('when the reason is other and the comment is blank, then it is 422 at the comment', async () => {
      const res = await send(
        withAttribute(withAttribute(body(), 'cancellation_reason', 'other'), 'cancellation_reason_comment', '  '),
      ).expect(422)
      expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.deep.equal([
        '/data/attributes/cancellation_reason_comment',
      ])
    })

    it('when an attribute is not declared, then it is ignored: 204', async () => {
      const fresh = await anAllocation(world)
      await as(app, frontend)
        .post(`/api/allocations/${fresh.id}/cancel`)
        .set('Idempotency-Key', key())
        .send(withAttribute(body(), 'status', 'filled'))
        .expect(204)
      expect((await services.db('allocations').where({ id: fresh.id }).first('status')).status).to.equal('cancelled')
    })
  })
})
