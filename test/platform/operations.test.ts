import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import { testApp, testServices } from '../support/app'

describe('Operations endpoints', () => {
  let app: Express
  before(async () => {
    app = testApp(await testServices())
  })

  it('GET /health reports the database reachable', async () => {
    await supertest(app).get('/health').expect(200, { status: 'UP', database: 'UP' })
  })

  it('GET /ping answers pong', async () => {
    const res = await supertest(app).get('/ping').expect(200)
    expect(res.text).to.equal('pong')
  })

  it('GET /info tells the name, version and uptime', async () => {
    const res = await supertest(app).get('/info').expect(200)
    expect(res.body).to.include({ name: 'secure-move', version: '0.1.0' })
    expect(res.body.uptime_seconds).to.be.a('number')
  })

  it('GET /api-docs renders the OpenAPI document', async () => {
    const res = await supertest(app).get('/api-docs/').expect(200)
    expect(res.text).to.contain('swagger-ui')
  })

  it('sets security headers', async () => {
    const res = await supertest(app).get('/ping')
    expect(res.headers['x-content-type-options']).to.equal('nosniff')
    expect(res.headers).not.to.have.property('x-powered-by')
  })
})
