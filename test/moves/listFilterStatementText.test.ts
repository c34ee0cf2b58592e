import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, location, uniqueDate } from '../support/builders'
import { captureQueries } from '../support/db'
import { testWorld, type World } from '../support/world'

/**
 * A comma-list filter sends its values as one array (db/prepared.ts, whereAnyValue), so the move
 * list's page has one statement text whatever the number of values: one prepared statement serves
 * them all, and a client cannot make a new text per number of ids.
 */
describe('the move list filtered by a list of values', () => {
  let world: World
  let date: string
  const moves: Record<string, string> = {}

  before(async () => {
    world = await testWorld()
    date = uniqueDate()
    for (const from of ['lei', 'bsi', 'mdi']) moves[from] = (await aMove(world, { date, from, to: 'iwi' })).id
  })

  /** The ids of the list's moves and the text of its page's statement, for `filter[from_location_id]=ids`. */
  async function listFrom(keys: string[]): Promise<{ ids: string[]; page: string }> {
    const ids = await Promise.all(keys.map(key => location(world, key)))
    let body: { data: { id: string }[] } | undefined
    const texts = await captureQueries(world.services, async () => {
      const res = await as(world.app, world.frontend)
        .get('/api/moves')
        .query({ 'filter[date_from]': date, 'filter[date_to]': date, 'filter[from_location_id]': ids.join(',') })
        .expect(200)
      body = res.body
    })
    const pages = texts.filter(text => /from "moves" as "m" .* limit \d+/.test(text))
    expect(pages).to.have.length(1)
    return { ids: body!.data.map(move => move.id).sort(), page: pages[0]! }
  }

  it('when it is filtered by one location id and by three, then both run the same statement text and each finds its moves', async () => {
    const one = await listFrom(['lei'])
    const three = await listFrom(['lei', 'bsi', 'mdi'])
    // Other suites' moves may pass through these prisons on the day (a lodging): only ours are counted.
    expect(one.ids).to.include(moves.lei).and.not.to.include.oneOf([moves.bsi, moves.mdi])
    expect(three.ids).to.include.members(Object.values(moves))
    expect(three.page).to.equal(one.page)
    expect(one.page).to.include('"m"."from_location_id" = any(')
  })
})
