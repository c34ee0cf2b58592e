import { expect } from 'chai'
import { aMove } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/**
 * An event's free text is bounded (issue #14): `notes` and every text detail at 10,000 characters, the
 * bound of a person escort record's text answers, so one post cannot put megabytes on a timeline.
 */
describe('Events: free text is bounded', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const stored = (moveId: string) => world.services.db('move_events').where({ move_id: moveId }).pluck('event_type')

  it('when notes are 10,001 characters, then it is 422 at the notes and nothing is stored; 10,000 are kept', async () => {
    const move = await aMove(world)
    const long = await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id), {
      attributes: { notes: 'n'.repeat(10_001) },
    }).expect(422)
    expect(long.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/notes' })
    expect(await stored(move.id)).to.deep.equal(['MoveRequested'])
    await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id), {
      attributes: { notes: 'n'.repeat(10_000) },
    }).expect(201)
  })

  it('when a text detail is 10,001 characters, then it is 422 at that detail', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.geoamey, 'MoveOperationHmcts', moveRef(move.id), {
      details: { court_cell_number: 'x'.repeat(10_001) },
    }).expect(422)
    expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.include(
      '/data/attributes/details/court_cell_number',
    )
    expect(await stored(move.id)).to.deep.equal(['MoveRequested'])
  })
})
