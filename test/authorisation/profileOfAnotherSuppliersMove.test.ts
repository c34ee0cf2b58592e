import { expect } from 'chai'
import { moveBody } from '../support/bodies'
import { aMove, assignProfile, location, post } from '../support/builders'
import { testWorld, type World } from '../support/world'

/**
 * A supplier may not change a profile another supplier's live move carries (issue #13, item 2), and
 * giving that profile to a move of its own would change who may change it: the other supplier would
 * then be refused its own person and profile. So taking it on is refused as changing it is.
 */
describe("Write scope: a profile another supplier's live move carries", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  /** A requested move Serco supplies (Leeds to Moorland), made by the frontend: its profile is Serco's to change. */
  const sercosMove = () => aMove(world, { from: 'lei', to: 'mdi' })

  it("when a supplier gives its own move the profile of another supplier's live move, then 403 and nothing changes", async () => {
    const serco = await sercosMove()
    const own = await aMove(world, { by: world.geoamey })
    const res = await assignProfile(world, world.geoamey, own.id, serco.profileId).expect(403)
    expect(res.body.errors[0].code).to.equal('forbidden')
    const row = await world.services.db('moves').where({ id: own.id }).first('profile_id')
    expect(row.profile_id).to.equal(own.profileId)
    const events = await world.services.db('move_events').where({ move_id: own.id, event_type: 'MoveUpdate' })
    expect(events).to.have.length(0)
  })

  it("when a supplier creates a move with the profile of another supplier's live move, then 403 and no move is made", async () => {
    const serco = await sercosMove()
    const res = await post(world, world.geoamey, '/api/moves')
      .send(
        moveBody(
          { move_type: 'prison_transfer', status: 'requested', date: serco.date },
          { from: await location(world, 'bsi'), to: await location(world, 'iwi'), profile: serco.profileId },
        ),
      )
      .expect(403)
    expect(res.body.errors[0].code).to.equal('forbidden')
    const moves = await world.services.db('moves').where({ profile_id: serco.profileId })
    expect(moves.map(m => m.id)).to.deep.equal([serco.id])
  })

  it("when the other supplier's move is over, then the supplier may take the profile on", async () => {
    const serco = await sercosMove()
    await post(world, world.serco, `/api/moves/${serco.id}/cancel`)
      .send({
        data: {
          type: 'cancels',
          attributes: { timestamp: '2031-01-01T10:00:00Z', cancellation_reason: 'made_in_error' },
        },
      })
      .expect(204)
    const own = await aMove(world, { by: world.geoamey })
    await assignProfile(world, world.geoamey, own.id, serco.profileId).expect(200)
  })

  it('when the frontend gives a move that profile, then it may, as it may change anything', async () => {
    const serco = await sercosMove()
    const own = await aMove(world, { by: world.geoamey })
    await assignProfile(world, world.frontend, own.id, serco.profileId).expect(200)
  })
})
