import { expect } from 'chai'
import { aMove, aPrisoner, aProfile, assignProfile, location, post, uniqueDate } from '../support/builders'
import { moveBody } from '../support/bodies'
import { testWorld, type World } from '../support/world'

describe('A person of a category this service does not move (issue #21)', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a move is created for a Category A prisoner, then it is 422 at the profile and no move is made', async () => {
    const { personId } = await aPrisoner(world, { security_category_code: 'A' })
    const profileId = await aProfile(world, { personId })
    const before = await world.services.db('moves').where({ profile_id: profileId })
    const res = await post(world, world.frontend, '/api/moves')
      .send(
        moveBody(
          { move_type: 'prison_transfer', status: 'requested', date: uniqueDate() },
          { from: await location(world, 'lei'), to: await location(world, 'bmi'), profile: profileId },
        ),
      )
      .expect(422)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/profile')
    expect(res.body.errors[0].meta).to.deep.equal({ reason: 'unsupported_prisoner_category', category: 'A' })
    expect(await world.services.db('moves').where({ profile_id: profileId })).to.deep.equal(before)
  })

  it('when a Category A prisoner is given to an existing move, then it is 422 and the move keeps its person', async () => {
    const move = await aMove(world, { from: 'lei', to: 'bmi' })
    const { personId } = await aPrisoner(world, { security_category_code: 'A' })
    const profileId = await aProfile(world, { personId })
    await assignProfile(world, world.frontend, move.id, profileId).expect(422)
    expect((await world.services.db('moves').where({ id: move.id }).first('profile_id')).profile_id).to.equal(
      move.profileId,
    )
  })

  it('when the prisoner is of a category that is moved, then the move is made', async () => {
    const { personId } = await aPrisoner(world, { security_category_code: 'C' })
    await aMove(world, { from: 'lei', to: 'bmi', profileId: await aProfile(world, { personId }) })
  })
})
