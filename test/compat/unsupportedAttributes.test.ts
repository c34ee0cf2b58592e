import { expect } from 'chai'
import type { Express } from 'express'
import { UNSUPPORTED_ATTRIBUTES } from '../../lib/moves/unsupported'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, uniqueDate, location, aMove, postMove } from '../support/builders'
import { locationRef } from '../support/bodies'

/** The attributes of the reference's version 2 move (app/serializers/v2/move_serializer.rb). */
const REFERENCE_MOVE_ATTRIBUTES = [
  'additional_information',
  'cancellation_reason',
  'cancellation_reason_comment',
  'created_at',
  'date',
  'date_from',
  'date_to',
  'move_agreed',
  'move_agreed_by',
  'move_type',
  'reference',
  'rejection_reason',
  'status',
  'time_due',
  'updated_at',
  'is_lockout',
  'recall_date',
  'section_forty_six',
]

describe('compatibility: an attribute the reference takes and we do not is refused, never dropped silently', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  it("when the reference's move attributes are compared with ours, then each is served or refused on write", async () => {
    const move = await aMove(world)
    const shown = await as(app, frontend).get(`/api/moves/${move.id}`).expect(200)
    const served = Object.keys(shown.body.data.attributes)
    const missing = REFERENCE_MOVE_ATTRIBUTES.filter(name => !served.includes(name))
    expect(missing).to.have.members([...UNSUPPORTED_ATTRIBUTES.moves])
  })

  for (const name of UNSUPPORTED_ATTRIBUTES.moves) {
    it(`when a move is created with ${name}, then it is 422 at ${name} and no move is made`, async () => {
      const date = uniqueDate()
      const res = await postMove(
        world,
        frontend,
        { move_type: 'prison_recall', date, [name]: name === 'recall_date' ? '2031-01-01' : true },
        { from_location: locationRef(await location(world, 'wmp000')) },
      ).expect(422)
      expect(res.body.errors).to.have.length(1)
      expect(res.body.errors[0]).to.deep.include({
        code: 'unprocessable_entity',
        source: { pointer: `/data/attributes/${name}` },
      })
      expect(await services.db('moves').where({ date }).pluck('id')).to.deep.equal([])
    })

    it(`when a move is updated with ${name}, then it is 422 at ${name} and the move is unchanged`, async () => {
      const move = await aMove(world)
      const before = await services.db('moves').where({ id: move.id }).first()
      await as(app, frontend)
        .patch(`/api/moves/${move.id}`)
        .set('Idempotency-Key', key())
        .send({
          data: { type: 'moves', id: move.id, attributes: { additional_information: 'changed', [name]: null } },
        })
        .expect(422)
      expect(await services.db('moves').where({ id: move.id }).first()).to.deep.equal(before)
    })
  }

  it('when a move is patched with its own status, then it is taken, as clients send back the move they read', async () => {
    const move = await aMove(world)
    const res = await as(app, frontend)
      .patch(`/api/moves/${move.id}`)
      .set('Idempotency-Key', key())
      .send({
        data: { type: 'moves', id: move.id, attributes: { status: 'requested', additional_information: 'kept' } },
      })
      .expect(200)
    expect(res.body.data.attributes).to.include({ status: 'requested', additional_information: 'kept' })
  })

  it("when a move is patched with another status (the reference's legacy status PATCH), then it is 422 at status and the move is unchanged", async () => {
    const move = await aMove(world)
    const before = await services.db('moves').where({ id: move.id }).first()
    const res = await as(app, frontend)
      .patch(`/api/moves/${move.id}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'moves', id: move.id, attributes: { status: 'cancelled', additional_information: 'x' } } })
      .expect(422)
    expect(res.body.errors).to.have.length(1)
    expect(res.body.errors[0]).to.deep.include({
      code: 'unprocessable_entity',
      source: { pointer: '/data/attributes/status' },
      meta: { status: 'requested' },
    })
    expect(await services.db('moves').where({ id: move.id }).first()).to.deep.equal(before)
  })
})
