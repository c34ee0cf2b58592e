import { expect } from 'chai'
import { as } from '../support/app'
import { FILES, upload } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Documents: a file name outside ASCII (issue #21)', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a browser sends the name as UTF-8, then the document keeps it as typed and downloads under it', async () => {
    const filename = 'Déclaration – Zoë.pdf'
    const res = await upload(world, world.frontend, FILES.pdf, filename).expect(201)
    expect(res.body.data.attributes.filename).to.equal(filename)

    const file = await as(world.app, world.frontend)
      .get(`/api/documents/${res.body.data.id}/file`)
      .set('Accept', '*/*')
      .expect(200)
    expect(file.headers['content-disposition']).to.include(`filename*=UTF-8''${encodeURIComponent(filename)}`)
  })
})
