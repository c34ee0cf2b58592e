import { expect } from 'chai'
import { as } from '../support/app'
import { aDocument, aMove, setDocuments, upload, FILES } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Documents: a supplier sees them through its moves', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const get = (by: World['serco'], id: string) => as(world.app, by).get(`/api/documents/${id}`)

  it('when a supplier uploads a document, then it and the frontend see it, and another supplier gets 404', async () => {
    const id = (await upload(world, world.serco, FILES.pdf).expect(201)).body.data.id as string
    await get(world.serco, id).expect(200)
    await get(world.frontend, id).expect(200)
    await get(world.geoamey, id).expect(404)
    await as(world.app, world.geoamey).get(`/api/documents/${id}/file`).set('Accept', '*/*').expect(404)
  })

  it("when a document is attached to the profile of a supplier's move, then that supplier sees it and one that cannot see the move does not", async () => {
    // Leeds to Moorland: Serco's prisons, a move GEOAmey cannot see.
    const move = await aMove(world, { from: 'lei', to: 'mdi' })
    const { person_id: personId } = await world.services.db('profiles').where({ id: move.profileId }).first('person_id')
    const id = await aDocument(world)
    await get(world.serco, id).expect(404)
    await setDocuments(world, world.frontend, personId, move.profileId, [id]).expect(200)
    await get(world.serco, id).expect(200)
    await get(world.geoamey, id).expect(404)
  })

  it("when a supplier names another supplier's document on a profile, then it is 404 at the relationship", async () => {
    const move = await aMove(world, { from: 'lei', to: 'mdi' })
    const { person_id: personId } = await world.services.db('profiles').where({ id: move.profileId }).first('person_id')
    const theirs = (await upload(world, world.geoamey, FILES.pdf).expect(201)).body.data.id as string
    const res = await setDocuments(world, world.serco, personId, move.profileId, [theirs]).expect(404)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/documents')
  })
})
