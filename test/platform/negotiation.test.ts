import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import { type TestClient } from '../support/app'
import { testWorld } from '../support/world'

describe('Media types and version negotiation on /api', () => {
  let app: Express
  let client: TestClient
  const url = '/api/reference/locations?filter%5Bnomis_agency_id%5D=BSI'

  before(async () => {
    ;({ app, frontend: client } = await testWorld())
  })

  const get = (accept?: string) => {
    const test = supertest(app).get(url).set('Authorization', `Bearer ${client.token}`)
    return accept === undefined ? test : test.set('Accept', accept)
  }

  it('answers version 1 when Accept names no version, with exactly application/vnd.api+json and Vary: Accept', async () => {
    const res = await get().expect(200)
    expect(res.headers['content-type']).to.equal('application/vnd.api+json')
    expect(res.headers.vary).to.match(/Accept/)
    expect(res.body.jsonapi).to.deep.equal({ version: '1.1' })
  })

  it('accepts version=1 and version=2 in Accept', async () => {
    await get('application/vnd.api+json; version=1').expect(200)
    await get('application/vnd.api+json; version=2').expect(200)
  })

  it('answers 415 invalid_api_version for any other version', async () => {
    const res = await get('application/vnd.api+json; version=3').expect(415)
    expect(res.body.errors[0]).to.include({ code: 'invalid_api_version', status: '415' })
    expect(res.body.errors[0].source).to.deep.equal({ header: 'Accept' })
  })

  it('answers 406 when Accept allows no JSON at all', async () => {
    const res = await get('text/html').expect(406)
    expect(res.body.errors[0].code).to.equal('not_acceptable')
  })

  it('answers 415 for a request body that is neither JSON:API nor JSON', async () => {
    const res = await supertest(app)
      .post('/api/reference/locations')
      .set('Authorization', `Bearer ${client.token}`)
      .set('Idempotency-Key', crypto.randomUUID())
      .set('Content-Type', 'text/plain')
      .send('key=value')
      .expect(415)
    expect(res.body.errors[0]).to.include({ code: 'unsupported_media_type' })
    expect(res.body.errors[0].source).to.deep.equal({ header: 'Content-Type' })
  })
})
