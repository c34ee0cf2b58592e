import { expect } from 'chai'
import { aDocument, aMove, patch, setDocuments } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("Documents: a profile's documents relationship names documents only (issue #21)", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a linkage of another type names a document, then it is 422 at its type and the profile keeps its documents', async () => {
    const move = await aMove(world)
    const { person_id: personId } = await world.services.db('profiles').where({ id: move.profileId }).first('person_id')
    const kept = await aDocument(world)
    await setDocuments(world, world.frontend, personId, move.profileId, [kept]).expect(200)

    const res = await patch(world, world.frontend, `/api/people/${personId}/profiles/${move.profileId}`)
      .send({
        data: {
          type: 'profiles',
          id: move.profileId,
          relationships: { documents: { data: [{ type: 'moves', id: await aDocument(world) }] } },
        },
      })
      .expect(422)
    expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/relationships/documents/data/0/type' })
    const attached = await world.services.db('documents').where({ profile_id: move.profileId }).pluck('id')
    expect(attached).to.deep.equal([kept])
  })
})
