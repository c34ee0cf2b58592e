import { expect } from 'chai'
import { aJourney, aMove } from '../support/builders'
import { journeyRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** A journey of a move a supplier cannot see is not there for it (issue #14). */
describe('Events: a journey of a move another supplier cannot see', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when that supplier posts about the journey, then it is 404 naming the journey, never the move it belongs to', async () => {
    // GEOAmey's move from Brinsford to the Isle of Wight: Serco sees neither end.
    const move = await aMove(world)
    const journey = await aJourney(world, move.id)

    const refused = await postEvent(world, world.serco, 'JourneyStart', journeyRef(journey.id), {
      details: { vehicle_reg: 'AB12 CDE' },
    }).expect(404)

    expect(refused.body.errors[0].code).to.equal('not_found')
    expect(refused.body.errors[0].detail).to.equal(`Couldn't find Journey with 'id'=${journey.id}`)
    expect(JSON.stringify(refused.body)).not.to.contain(move.id)
  })
})
