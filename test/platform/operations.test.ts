import fs from 'node:fs'
import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import YAML from 'yaml'
import { createDb } from '../../db/client'
import { loadOpenApi, openapiPath } from '../../api/openapi'
import type { Services } from '../../lib/services'
import { testApp } from '../support/app'
import { testWorld, variantWorld, type World } from '../support/world'

describe('Operations endpoints', () => {
  let world: World
  let services: Services
  let app: Express
  before(async () => {
    world = await testWorld()
    ;({ services, app } = world)
  })

  describe('health, as HMPPS services report it', () => {
    it('when everything is reachable, then /health is UP with the database, each queue with its depths, and the scheduler', async () => {
      services.jobRuns.set('reap-idempotency-keys', { lastRun: '2026-11-21T10:15:00.000Z', outcome: 'ran' })
      const res = await supertest(app).get('/health').expect(200)
      expect(res.body.status).to.equal('UP')
      expect(res.body.components.db).to.deep.include({ status: 'UP' })
      for (const queue of services.queue.names()) {
        const component = res.body.components[`${queue}-health`]
        expect(component.status).to.equal('UP')
        expect(component.details).to.include({ queueName: queue, dlqName: `${queue}-dlq` })
        for (const depth of ['messagesOnQueue', 'messagesInFlight', 'messagesOnDlq'])
          expect(component.details[depth]).to.be.a('number')
      }
      expect(res.body.components.scheduler.details.jobs['reap-idempotency-keys']).to.deep.equal({
        lastRun: '2026-11-21T10:15:00.000Z',
        outcome: 'ran',
      })
      expect(res.body).to.include({ version: '0.1.0' })
      expect(res.body.uptime).to.be.a('number')
    })

    it('when the database is unreachable, then /health is 503 DOWN naming the db component, and readiness is DOWN', async () => {
      const unreachable = createDb({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', poolMax: 1 })
      try {
        const broken = testApp({ ...services, db: unreachable })
        const res = await supertest(broken).get('/health').expect(503)
        expect(res.body.status).to.equal('DOWN')
        expect(res.body.components.db).to.deep.equal({ status: 'DOWN' })
        await supertest(broken).get('/health/readiness').expect(503, { status: 'DOWN' })
        await supertest(broken).get('/health/liveness').expect(200, { status: 'UP' })
      } finally {
        await unreachable.destroy()
      }
    })

    it('when the process is stopping, then readiness turns DOWN while liveness and ping stay UP', async () => {
      await supertest(app).get('/health/readiness').expect(200, { status: 'UP' })
      const stopping = testApp({ ...services, lifecycle: { stopping: true } })
      await supertest(stopping).get('/health/readiness').expect(503, { status: 'DOWN' })
      await supertest(stopping).get('/health/liveness').expect(200, { status: 'UP' })
      await supertest(stopping).get('/health/ping').expect(200, { status: 'UP' })
    })

    it('when /info is asked, then it answers build, git and uptime as the HMPPS templates do', async () => {
      const configured = await variantWorld({
        env: { GIT_SHA: 'abc123', GIT_BRANCH: 'main', BUILD_NUMBER: '2026-11-21.1' },
      })
      const res = await supertest(configured.app).get('/info').expect(200)
      expect(res.body.git).to.deep.equal({ branch: 'main', commit: { id: 'abc123' } })
      expect(res.body.build).to.deep.equal({
        artifact: 'secure-move',
        name: 'secure-move',
        version: '0.1.0',
        buildNumber: '2026-11-21.1',
      })
      expect(res.body.uptime).to.be.a('number')
    })

    it('GET /ping answers pong', async () => {
      const res = await supertest(app).get('/ping').expect(200)
      expect(res.text).to.equal('pong')
    })
  })

  describe('the contract, served', () => {
    it('when /v3/api-docs is asked, then it answers the contract the validator enforces, as JSON', async () => {
      const res = await supertest(app).get('/v3/api-docs').expect(200)
      expect(res.headers['content-type']).to.match(/^application\/json/)
      // openapi.yaml with every unbounded integer bounded to int32, as requests are checked against it.
      expect(res.body).to.deep.equal(JSON.parse(JSON.stringify(loadOpenApi())))
      expect(res.body).to.not.deep.equal(YAML.parse(fs.readFileSync(openapiPath, 'utf8')))
    })

    it('when /v3/api-docs.yaml is asked, then it answers the file as written', async () => {
      const res = await supertest(app).get('/v3/api-docs.yaml').expect(200)
      expect(res.headers['content-type']).to.match(/^application\/yaml/)
      expect(res.text).to.equal(fs.readFileSync(openapiPath, 'utf8'))
    })

    it('GET /api-docs renders the OpenAPI document', async () => {
      const res = await supertest(app).get('/api-docs/').expect(200)
      expect(res.text).to.contain('swagger-ui')
    })

    it('when a path under /api-docs or /v3/api-docs does not exist, then the 404 is JSON, not HTML', async () => {
      for (const path of ['/api-docs/nothing-here.js', '/v3/api-docs/nothing', '/v3/api-docs.json']) {
        const res = await supertest(app).get(path).expect(404)
        expect(res.headers['content-type']).to.match(/json/)
        expect(res.body.errors[0]).to.include({ code: 'route_not_found' })
      }
      const post = await supertest(app).post('/api-docs/').expect(404)
      expect(post.headers['content-type']).to.match(/json/)
    })
  })

  it('sets security headers', async () => {
    const res = await supertest(app).get('/ping')
    expect(res.headers['x-content-type-options']).to.equal('nosniff')
    expect(res.headers).not.to.have.property('x-powered-by')
  })
})
