import { expect } from 'chai'
import { as } from '../support/app'
import { FILES, key, upload } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Documents: uploading one and downloading it', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a PDF is uploaded, then it is 201 with its name, size and type, and its url gives it back byte for byte', async () => {
    const res = await upload(world, world.frontend, FILES.pdf, 'warrant.pdf').expect(201)
    const { id, attributes } = res.body.data
    expect(res.body.data.type).to.equal('documents')
    expect(attributes).to.include({
      filename: 'warrant.pdf',
      filesize: FILES.pdf.length,
      content_type: 'application/pdf',
    })
    expect(attributes.url).to.match(new RegExp(`/api/documents/${id}/file$`))

    const shown = await as(world.app, world.frontend).get(`/api/documents/${id}`).expect(200)
    // Each request of supertest has a server of its own, so only the url's host differs.
    expect({ ...shown.body.data.attributes, url: undefined }).to.deep.equal({ ...attributes, url: undefined })

    const file = await as(world.app, world.frontend)
      .get(`/api/documents/${id}/file`)
      .set('Accept', '*/*')
      .responseType('blob')
      .expect(200)
    expect(file.headers['content-type']).to.equal('application/pdf')
    expect(file.headers['content-disposition']).to.equal(
      `attachment; filename="warrant.pdf"; filename*=UTF-8''warrant.pdf`,
    )
    expect(Buffer.compare(file.body as Buffer, FILES.pdf)).to.equal(0)
  })

  it('when an upload is repeated with its Idempotency-Key, then the same document answers; with another file, 422', async () => {
    const idempotencyKey = key()
    const send = (content: Buffer) =>
      as(world.app, world.frontend)
        .post('/api/documents')
        .set('Idempotency-Key', idempotencyKey)
        .attach('data[attributes][file]', content, { filename: 'order.png' })
    const first = await send(FILES.png).expect(201)
    const again = await send(FILES.png).expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.body.data.id).to.equal(first.body.data.id)
    const other = await send(Buffer.concat([FILES.png, Buffer.from('x')])).expect(422)
    expect(other.body.errors[0].code).to.equal('idempotency_key_reused')
    expect(
      await world.services.db('documents').where({ filename: 'order.png', id: first.body.data.id }).count('* as n'),
    ).to.deep.equal([{ n: 1 }])
  })

  it('when a document does not exist, then it and its file are 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000'
    await as(world.app, world.frontend).get(`/api/documents/${id}`).expect(404)
    await as(world.app, world.frontend).get(`/api/documents/${id}/file`).set('Accept', '*/*').expect(404)
  })
})
