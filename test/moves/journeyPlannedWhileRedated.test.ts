import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { journeyBody, moveUpdateBody } from '../support/bodies'
import { aMove, location, patch, post } from '../support/builders'
import { onPostgres } from '../support/db'
import { testWorld, type World } from '../support/world'

const ROUNDS = 8

/**
 * A move's new date cancels its proposed journeys (issue #13, item 3). A journey planned at the moment
 * the move is redated is, whichever request runs first, either cancelled with the old plan (it came
 * first) or proposed on the new date (dated by the move as it is once the journey holds the move's
 * lock): never a live journey on the old date. Only real concurrency shows it.
 */
;(onPostgres ? describe : describe.skip)('A journey planned while its move is redated (PostgreSQL)', function () {
  this.timeout(120_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a move is redated while a journey is planned without a date, then the journey is cancelled or on the new date', async () => {
    const [from, to] = [await location(world, 'bsi'), await location(world, 'iwi')]
    for (let round = 0; round < ROUNDS; round++) {
      const move = await aMove(world)
      const later = addDays(move.date, 2)
      const [redate, journey] = await Promise.all([
        patch(world, world.frontend, `/api/moves/${move.id}`).send(moveUpdateBody(move.id, { date: later })),
        post(world, world.frontend, `/api/moves/${move.id}/journeys`).send(journeyBody(from, to)),
      ])
      expect([redate.status, journey.status]).to.deep.equal([200, 201])
      const row = await world.services
        .db('journeys')
        .where({ id: journey.body.data.id })
        .first('state', world.services.db.raw('date::text as date'))
      expect([`cancelled@${move.date}`, `proposed@${later}`]).to.include(`${row.state}@${row.date}`)
    }
  })
})
