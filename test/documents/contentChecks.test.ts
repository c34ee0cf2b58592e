import { expect } from 'chai'
import { DOCUMENT_MAX_BYTES } from '../../lib/documents/documents'
import { FILES, post, upload } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Documents: what a file may be', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const refusedAtFile = (
    res: { body: { errors: { code: string; source?: { pointer?: string } }[] } },
    code: string,
  ) => {
    expect(res.body.errors[0]!.code).to.equal(code)
    expect(res.body.errors[0]!.source?.pointer).to.equal('/data/attributes/file')
  }

  it('when a file is named .pdf but its content is not a PDF or picture, then it is 422 at the file and nothing is stored', async () => {
    const before = await world.services.db('documents').count('* as n').first()
    const res = await upload(world, world.frontend, Buffer.from('#!/bin/sh\necho hello\n'), 'innocent.pdf').expect(422)
    refusedAtFile(res, 'unprocessable_entity')
    expect(await world.services.db('documents').count('* as n').first()).to.deep.equal(before)
  })

  it('when a PNG is sent with a .pdf name, then it is kept as the PNG its content shows', async () => {
    const res = await upload(world, world.frontend, FILES.png, 'scan.pdf').expect(201)
    expect(res.body.data.attributes.content_type).to.equal('image/png')
  })

  it('when the file is empty, then it is 422 at the file', async () => {
    refusedAtFile(await upload(world, world.frontend, Buffer.alloc(0), 'empty.pdf').expect(422), 'unprocessable_entity')
  })

  it('when no file is sent, then it is 422 at the file', async () => {
    const res = await post(world, world.frontend, '/api/documents').field('data[type]', 'documents').expect(422)
    refusedAtFile(res, 'unprocessable_entity')
  })

  it('when the file is one byte over 10 MiB, then it is 413 in the JSON:API shape', async () => {
    const big = Buffer.concat([FILES.pdf, Buffer.alloc(DOCUMENT_MAX_BYTES + 1 - FILES.pdf.length)])
    const res = await upload(world, world.frontend, big).expect(413)
    refusedAtFile(res, 'payload_too_large')
    expect(res.headers['content-type']).to.equal('application/vnd.api+json')
  })

  it('when the body is JSON or not multipart at all, then it is 415; when it is broken multipart, 400', async () => {
    await post(world, world.frontend, '/api/documents')
      .send({ data: { type: 'documents' } })
      .expect(415)
    const broken = await post(world, world.frontend, '/api/documents')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="data[attributes][file]"; filename="a.pdf"\r\n\r\n%PDF-')
      .expect(400)
    expect(broken.body.errors[0].code).to.equal('bad_request')
  })
})
