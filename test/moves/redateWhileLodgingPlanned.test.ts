import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { lodgingBody, moveUpdateBody } from '../support/bodies'
import { aMove, anAllocation, aProfile, assignProfile, location, patch, post } from '../support/builders'
import { onPostgres } from '../support/db'
import { testWorld, type World } from '../support/world'

const ROUNDS = 8

/**
 * A stay may not start before its move's date, whichever comes second: the new date or the stay
 * (issue #13, item 3: a rule checked on creation is checked again when what it depends on changes).
 * Sent at the same moment, one of the two must see the other; only real concurrency shows it.
 */
;(onPostgres ? describe : describe.skip)('A date change racing a stay being planned (PostgreSQL)', function () {
  this.timeout(120_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  /** The move's live stays that start before its date: none, whatever the order the two requests ran in. */
  const staysBeforeTheDate = async (moveId: string) =>
    world.services
      .db('lodgings as l')
      .join('moves as m', 'm.id', 'l.move_id')
      .where('m.id', moveId)
      .whereNot('l.status', 'cancelled')
      .whereRaw('l.start_date < m.date')
      .select('l.id')

  it('when a move is redated while a stay on its old date is planned, then never both', async () => {
    const at = await location(world, 'brmcc')
    for (let round = 0; round < ROUNDS; round++) {
      const move = await aMove(world)
      const later = addDays(move.date, 2)
      const [redate, stay] = await Promise.all([
        patch(world, world.frontend, `/api/moves/${move.id}`).send(moveUpdateBody(move.id, { date: later })),
        post(world, world.frontend, `/api/moves/${move.id}/lodgings`).send(lodgingBody(at, move.date, later)),
      ])
      expect([redate.status, stay.status]).to.not.deep.equal([200, 201])
      expect(await staysBeforeTheDate(move.id)).to.deep.equal([])
    }
  })

  it('when an allocation is redated while a stay on its old date is planned, then never both', async () => {
    const at = await location(world, 'brmcc')
    for (let round = 0; round < ROUNDS; round++) {
      const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
      const moveId = allocation.moveIds[0]!
      await assignProfile(world, world.frontend, moveId, await aProfile(world)).expect(200)
      const later = addDays(allocation.date, 2)
      await Promise.all([
        patch(world, world.frontend, `/api/allocations/${allocation.id}`).send({
          data: { type: 'allocations', id: allocation.id, attributes: { date: later } },
        }),
        post(world, world.frontend, `/api/moves/${moveId}/lodgings`).send(lodgingBody(at, allocation.date, later)),
      ])
      expect(await staysBeforeTheDate(moveId)).to.deep.equal([])
    }
  })
})
