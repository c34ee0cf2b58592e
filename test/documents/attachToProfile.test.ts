import { expect } from 'chai'
import { as } from '../support/app'
import { aDocument, aMove, aPerson, post, setDocuments } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Documents: attached to a profile through its documents relationship', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it("when a profile's documents are set, then it links them (and the move's profile include shows them); set again, the ones left out are detached", async () => {
    const move = await aMove(world)
    const { person_id: personId } = await world.services.db('profiles').where({ id: move.profileId }).first('person_id')
    const [first, second] = [await aDocument(world), await aDocument(world)]

    const res = await setDocuments(world, world.frontend, personId, move.profileId, [first, second])
      .query({ include: 'documents' })
      .expect(200)
    expect(res.body.data.relationships.documents.data).to.deep.equal([
      { type: 'documents', id: first },
      { type: 'documents', id: second },
    ])
    expect(res.body.included.map((r: { id: string }) => r.id)).to.have.members([first, second])

    const shown = await as(world.app, world.frontend)
      .get(`/api/moves/${move.id}`)
      .query({ include: 'profile.documents' })
      .expect(200)
    expect(shown.body.included.filter((r: { type: string }) => r.type === 'documents')).to.have.length(2)

    const again = await setDocuments(world, world.frontend, personId, move.profileId, [second]).expect(200)
    expect(again.body.data.relationships.documents.data).to.deep.equal([{ type: 'documents', id: second }])
    expect((await world.services.db('documents').where({ id: first }).first('profile_id')).profile_id).to.equal(null)
  })

  it('when a new profile names documents, then it is created with them', async () => {
    const personId = await aPerson(world)
    const document = await aDocument(world)
    const res = await post(world, world.frontend, `/api/people/${personId}/profiles`)
      .send({
        data: { type: 'profiles', relationships: { documents: { data: [{ type: 'documents', id: document }] } } },
      })
      .expect(201)
    expect(res.body.data.relationships.documents.data).to.deep.equal([{ type: 'documents', id: document }])
  })

  it('when a document named does not exist, then it is 404 at the relationship and the profile keeps its documents', async () => {
    const move = await aMove(world)
    const { person_id: personId } = await world.services.db('profiles').where({ id: move.profileId }).first('person_id')
    const kept = await aDocument(world)
    await setDocuments(world, world.frontend, personId, move.profileId, [kept]).expect(200)
    const res = await setDocuments(world, world.frontend, personId, move.profileId, [
      '00000000-0000-4000-8000-000000000000',
    ]).expect(404)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/documents')
    expect((await world.services.db('documents').where({ id: kept }).first('profile_id')).profile_id).to.equal(
      move.profileId,
    )
  })
})
