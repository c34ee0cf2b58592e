import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import { createDb } from '../../db/client'
import { createServices } from '../../lib/services'
import { violations } from '../support/contract'
import { as, testApp, type TestClient } from '../support/app'
import { testWorld } from '../support/world'

describe('Errors from the catalogue', () => {
  let app: Express
  let client: TestClient
  /** Adding a location needs the admin role, which is checked before the body is read. */
  let admin: TestClient

  before(async () => {
    ;({ app, frontend: client, admin } = await testWorld())
  })

  it('when the path is unknown, then it is 404 route_not_found', async () => {
    const res = await as(app, client).get('/api/no-such-thing').expect(404)
    expect(res.body.errors[0]).to.include({ status: '404', code: 'route_not_found' })
  })

  it('when the location id is unknown, then it is 404 not_found', async () => {
    const res = await as(app, client).get(`/api/reference/locations/${crypto.randomUUID()}`).expect(404)
    expect(res.body.errors[0]).to.include({ code: 'not_found', title: 'Resource not found' })
  })

  it('when the path has no such method, then it is 405', async () => {
    const res = await as(app, client).delete('/api/reference/locations').expect(405)
    expect(res.body.errors[0].code).to.equal('method_not_allowed')
  })

  it('when a query parameter is unknown, then it is 400 naming it', async () => {
    const res = await as(app, client).get('/api/reference/locations?colour=blue').expect(400)
    expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter' })
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'colour' })
  })

  it('when a filter is unknown, then it is 400 naming the nested parameter', async () => {
    const res = await as(app, client).get('/api/reference/locations?filter%5Bcolour%5D=blue').expect(400)
    expect(res.body.errors[0].source.parameter).to.match(/^filter/)
  })

  it('when the page number is malformed, then it is 400', async () => {
    const res = await as(app, client).get('/api/reference/locations?page=zero').expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'page' })
  })

  it('when an include is unsupported, then it is 400 listing the valid values', async () => {
    const res = await as(app, client).get('/api/reference/locations?include=moves').expect(400)
    expect(res.body.errors[0]).to.include({ code: 'unsupported_include' })
    expect(res.body.errors[0].detail).to.contain('suppliers')
  })

  it('when the body does not parse, then it is 400 invalid_json', async () => {
    const res = await as(app, admin)
      .post('/api/reference/locations')
      .set('Idempotency-Key', crypto.randomUUID())
      .set('Content-Type', 'application/json')
      .send('{"data": ')
      .expect(400)
    expect(res.body.errors[0].code).to.equal('invalid_json')
  })

  it('when the body is over the limit, then it is 413', async () => {
    const res = await as(app, admin)
      .post('/api/reference/locations')
      .set('Idempotency-Key', crypto.randomUUID())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ data: { type: 'locations', attributes: { title: 'x'.repeat(2 * 1024 * 1024) } } }))
      .expect(413)
    expect(res.body.errors[0].code).to.equal('payload_too_large')
  })

  it('when a body breaks the schema, then it is 422 with a pointer at the member', async () => {
    const res = await as(app, admin)
      .post('/api/reference/locations')
      .set('Idempotency-Key', crypto.randomUUID())
      .send({ data: { type: 'locations', attributes: { key: 'x', title: 'X', location_type: 'castle' } } })
      .expect(422)
    expect(res.body.errors[0].code).to.equal('unprocessable_entity')
    expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.include(
      '/data/attributes/location_type',
    )
  })

  describe('when the database is gone', () => {
    it('then it is 500 with a correlation id and no internals, and /health says DOWN', async () => {
      const { services } = await testWorld()
      const deadDb = createDb({})
      await deadDb.destroy()
      const broken = createServices({ ...services, db: deadDb })
      const brokenApp = testApp(broken)
      const health = await supertest(brokenApp).get('/health').expect(503)
      expect(health.body.status).to.equal('DOWN')
      expect(health.body.components.db).to.deep.equal({ status: 'DOWN' })
      const res = await supertest(brokenApp)
        .get('/api/reference/locations')
        .set('Authorization', 'Bearer x')
        .expect(500)
      const [error] = res.body.errors
      expect(error).to.include({ status: '500', code: 'internal_error' })
      expect(error.meta.correlation_id).to.match(/^[0-9a-f-]{36}$/)
      expect(JSON.stringify(res.body)).not.to.match(/at .*\.ts|knex|pool/i)
      violations.length = 0
    })
  })
})
