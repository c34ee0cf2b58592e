import { expect } from 'chai'
import { aMoveUnderWay, moveEvent } from '../support/builders'
import { captureQueries } from '../support/db'
import { testWorld, type World } from '../support/world'

/**
 * Completing a move is the hot end of every move's life (issue #16): its guard reads the move's stays
 * once, under the move's row lock, and a move with no stay to call off writes none.
 */
describe('Completing a move reads its stays once', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a move with no stays is completed, then the stays are read once and no lodging is written', async () => {
    const move = await aMoveUnderWay(world)
    const statements = await captureQueries(world.services, () =>
      moveEvent(world, world.frontend, move.id, 'complete').expect(204),
    )
    const lodgings = statements.filter(sql => /\blodgings\b/.test(sql))
    expect(lodgings.filter(sql => /^select\b/i.test(sql) && !/for update/i.test(sql))).to.have.length(1)
    expect(lodgings.filter(sql => /^update\b/i.test(sql))).to.deep.equal([])
    const row = await world.services.db('moves').where({ id: move.id }).first('status')
    expect(row.status).to.equal('completed')
  })
})
