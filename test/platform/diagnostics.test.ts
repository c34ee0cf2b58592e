import { expect } from 'chai'
import supertest from 'supertest'
import { aLodging, aMove, aPerson, aProfile } from '../support/builders'
import type { TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

describe("A move's diagnostics (issue #21)", () => {
  let world: World
  let move: { id: string; date: string; reference: string }

  before(async () => {
    world = await testWorld()
    const personId = await aPerson(world, { attributes: { first_names: 'DIAG', last_name: 'NOSTIC' } })
    const profileId = await aProfile(world, { personId })
    // Leeds to Leeds Crown Court, serco's throughout: geoamey sees nothing of it.
    const made = await aMove(world, { from: 'lei', to: 'leedcc', moveType: 'court_appearance', profileId })
    await aLodging(world, made, { at: 'leedcc' })
    const row = await world.services.db('moves').where({ id: made.id }).first('reference')
    move = { ...made, reference: row.reference as string }
  })

  const diagnostics = (client: TestClient, idOrReference: string) =>
    supertest(world.app).get(`/diagnostics/moves/${idOrReference}`).set('Authorization', `Bearer ${client.token}`)

  it('when the frontend asks by id or by reference, then the move, its timeline and lodgings are told in plain text without the person', async () => {
    const byId = await diagnostics(world.frontend, move.id).expect(200)
    expect(byId.headers['content-type']).to.match(/^text\/plain/)
    expect(byId.text).to.contain(`Move ${move.reference}`)
    expect(byId.text).to.contain('event_type: MoveRequested')
    expect(byId.text).to.match(/Lodgings \(1\)\n {2}- id: .*location: leedcc/)
    expect(byId.text).to.contain('personal details need the diagnostics-pii role')
    expect(byId.text).not.to.contain('NOSTIC')
    const byReference = await diagnostics(world.frontend, move.reference.toLowerCase()).expect(200)
    expect(byReference.text).to.equal(byId.text)
  })

  it('when the client holds the diagnostics-pii role, then the person moved is shown', async () => {
    const pii = await world.clientWith({ roles: ['frontend', 'diagnostics-pii'] })
    const res = await diagnostics(pii, move.id).expect(200)
    expect(res.text).to.match(/Person \(1\)\n {2}- first_names: DIAG, last_name: NOSTIC/)
  })

  it("when a supplier asks for another supplier's move, then it is 404; its own move it sees", async () => {
    await diagnostics(world.geoamey, move.id).expect(404)
    await diagnostics(world.serco, move.id).expect(200)
  })

  it('when the move does not exist, there is no token, or the client may not use /api, then it is 404, 401 or 403', async () => {
    await diagnostics(world.frontend, crypto.randomUUID()).expect(404)
    await diagnostics(world.frontend, 'not-a-reference').expect(404)
    await supertest(world.app).get(`/diagnostics/moves/${move.id}`).expect(401)
    await diagnostics(world.admin, move.id).expect(403)
  })
})
