import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { lodgingBody } from '../support/bodies'
import { aMove, location, moveEvent, post } from '../support/builders'
import { onPostgres } from '../support/db'
import { testWorld, type World } from '../support/world'

const ROUNDS = 8

/**
 * A move cannot complete while its person is lodged (issue #13, item 4: the machine's guard reads the
 * move's stays). Sent at the same moment, the completion and the stay's start must not both pass; only
 * real concurrency shows it.
 */
;(onPostgres ? describe : describe.skip)('A move completing while its stay starts (PostgreSQL)', function () {
  this.timeout(120_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a move completes while its stay starts, then never a completed move with a stay under way', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const move = await aMove(world)
      const stay = await post(world, world.frontend, `/api/moves/${move.id}/lodgings`)
        .send(lodgingBody(await location(world, 'brmcc'), move.date, addDays(move.date, 1)))
        .expect(201)
      await moveEvent(world, world.frontend, move.id, 'accept').expect(204)
      await moveEvent(world, world.frontend, move.id, 'start').expect(204)
      await Promise.all([
        moveEvent(world, world.frontend, move.id, 'complete'),
        post(world, world.frontend, `/api/moves/${move.id}/lodgings/${stay.body.data.id}/start`).send({
          data: { type: 'starts', attributes: { timestamp: '2031-01-01T10:00:00Z' } },
        }),
      ])
      const row = await world.services.db('moves').where({ id: move.id }).first('status')
      const started = await world.services.db('lodgings').where({ move_id: move.id, status: 'started' })
      expect(row.status === 'completed' && started.length > 0, 'completed with a stay under way').to.equal(false)
    }
  })
})
