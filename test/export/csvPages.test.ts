import { expect } from 'chai'
import { movesCsv } from '../../lib/moves/csvExport'
import { aMove, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('The CSV export reads page after page', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when the moves fill several pages, then each comes once, in the order they were created, a page per chunk', async () => {
    const date = uniqueDate()
    const made: string[] = []
    for (let i = 0; i < 5; i++) made.push((await aMove(world, { date })).id)
    // Two moves created in the same microsecond are told apart by their ids.
    await world.services
      .db('moves')
      .whereIn('id', made.slice(2, 4))
      .update({ created_at: new Date('2031-01-01T00:00:00Z') })
    const expected = (
      await world.services
        .db('moves')
        .whereIn('id', made)
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .select('reference')
    ).map(r => r.reference as string)

    const chunks: string[] = []
    for await (const chunk of movesCsv(world.services.db, { date_from: date, date_to: date }, null, 2))
      chunks.push(chunk)
    expect(chunks).to.have.length(1 + 3)
    const references = chunks
      .slice(1)
      .join('')
      .split('\r\n')
      .filter(Boolean)
      .map(line => line.split(',')[1])
    expect(references).to.deep.equal(expected)
  })
})
