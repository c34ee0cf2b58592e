import { createHook } from 'node:async_hooks'
import { Writable } from 'node:stream'
import { expect } from 'chai'
import supertest from 'supertest'
import express, { type Express } from 'express'
import { oauthErrors } from '../../api/platform/oauth'
import { createLogger } from '../../lib/log'
import type { Services } from '../../lib/services'
import { testApp, type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'

const token = (app: Express) => supertest(app).post('/oauth/token').type('form')

describe('Token endpoint hardening', () => {
  const lines: string[] = []
  let world: World
  let services: Services
  let app: Express
  let client: TestClient

  before(async () => {
    const log = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }),
    )
    // A world of its own: tight token-failure limits and a log to read.
    world = await variantWorld({ log, env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_ADDRESS_LIMIT: '12' } })
    ;({ services, app } = world)
    client = world.frontend
  })

  describe('OAuth error bodies for every token error', () => {
    const cases: [string, (t: supertest.Test) => supertest.Test, number, string][] = [
      ['no grant_type', t => t.send({ client_id: 'x', client_secret: 'y' }), 400, 'invalid_request'],
      [
        'a body that is not a form or JSON',
        t => t.set('Content-Type', 'text/plain').send('grant_type=x'),
        415,
        'invalid_request',
      ],
      ['malformed JSON', t => t.set('Content-Type', 'application/json').send('{"grant_type":'), 400, 'invalid_request'],
      [
        'an unsupported grant type',
        t => t.send({ grant_type: 'password', client_id: 'x', client_secret: 'y' }),
        400,
        'unsupported_grant_type',
      ],
      ['no credentials', t => t.send({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      [
        'a Bearer token instead of Basic',
        t => t.set('Authorization', 'Bearer abc').send({ grant_type: 'client_credentials' }),
        400,
        'invalid_request',
      ],
    ]
    for (const [what, send, status, error] of cases) {
      it(`when the request has ${what}, then it is ${status} {"error":"${error}"}`, async () => {
        const res = await send(token(app)).expect(status)
        expect(res.headers['content-type']).to.match(/^application\/json/)
        expect(res.body.error).to.equal(error)
        expect(res.body.error_description).to.be.a('string')
        expect(res.headers['cache-control']).to.equal('no-store')
      })
    }

    it('when the method or path is wrong, then the 405 or 404 is an OAuth error too', async () => {
      expect((await supertest(app).get('/oauth/token').expect(405)).body.error).to.equal('invalid_request')
      expect((await supertest(app).post('/oauth/other').expect(404)).body.error).to.equal('invalid_request')
    })
  })

  describe('credentials in one place only', () => {
    it('when both the Authorization header and the body carry credentials, then 400 invalid_request and no token', async () => {
      const res = await token(app)
        .auth(client.clientId, client.clientSecret)
        .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
        .expect(400)
      expect(res.body.error).to.equal('invalid_request')
    })

    it('when credentials come in the query string, then 400 invalid_request and no token', async () => {
      const res = await supertest(app)
        .post(`/oauth/token?client_id=${client.clientId}&client_secret=${client.clientSecret}`)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(400)
      expect(res.body.error).to.equal('invalid_request')
    })
  })

  describe('the same work for an unknown client as for a wrong secret', () => {
    it('when the client id is unknown, then its secret is still put through scrypt, as a wrong one is', async () => {
      const scrypts = async (clientId: string) => {
        let count = 0
        const hook = createHook({ init: (_id, type) => void (type === 'SCRYPTREQUEST' && count++) }).enable()
        try {
          await token(app).auth(clientId, 'guess').send({ grant_type: 'client_credentials' }).expect(401)
        } finally {
          hook.disable()
        }
        return count
      }
      await scrypts('warm-up-the-decoy-hash')
      const unknown = await scrypts('no-such-client')
      expect(unknown).to.be.greaterThan(0)
      expect(unknown).to.equal(await scrypts(client.clientId))
    })
  })

  describe('throttling failed client authentication', () => {
    it('when a client id has failed AUTH_FAILURE_LIMIT times, then even its right secret is 429 with Retry-After', async () => {
      const victim = await world.clientWith({})
      const throttled = testApp(services)
      for (let i = 0; i < 3; i++) {
        await token(throttled)
          .auth(victim.clientId, `guess-${i}`)
          .send({ grant_type: 'client_credentials' })
          .expect(401)
      }
      const res = await token(throttled)
        .auth(victim.clientId, victim.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(429)
      expect(res.body.error).to.equal('temporarily_unavailable')
      expect(Number(res.headers['retry-after'])).to.be.greaterThan(0)
      await token(throttled)
        .auth(client.clientId, client.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(200)
    })

    it('when one address fails with many client ids, then it is 429 past AUTH_FAILURE_ADDRESS_LIMIT', async () => {
      const throttled = testApp(services)
      for (let i = 0; i < 12; i++) {
        await token(throttled).auth(`unknown-${i}`, 'guess').send({ grant_type: 'client_credentials' }).expect(401)
      }
      const res = await token(throttled)
        .auth(client.clientId, client.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(429)
      expect(res.headers['retry-after']).to.match(/^\d+$/)
    })

    it('when requests succeed, then they are not counted', async () => {
      const throttled = testApp(services)
      for (let i = 0; i < 5; i++) {
        await token(throttled)
          .auth(client.clientId, client.clientSecret)
          .send({ grant_type: 'client_credentials' })
          .expect(200)
      }
    })
  })

  describe('credentials no text column can hold', () => {
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`
    const cases: [string, (t: supertest.Test) => supertest.Test][] = [
      ['a form client_id holding a NUL', t => t.send('grant_type=client_credentials&client_id=a%00&client_secret=x')],
      [
        'a JSON client_id holding a NUL',
        t => t.type('json').send({ grant_type: 'client_credentials', client_id: 'a\u0000', client_secret: 'x' }),
      ],
      [
        'a JSON client_id holding a lone surrogate',
        t => t.type('json').send('{"grant_type":"client_credentials","client_id":"a\\ud800","client_secret":"x"}'),
      ],
      [
        'a Basic client id holding a NUL',
        t => t.set('Authorization', basic('a\u0000b:x')).send('grant_type=client_credentials'),
      ],
      [
        'a Basic client secret percent-encoding a NUL',
        t => t.set('Authorization', basic('a:x%00')).send('grant_type=client_credentials'),
      ],
    ]
    for (const [what, send] of cases) {
      it(`when the request has ${what}, then it is 400 {"error":"invalid_request"}`, async () => {
        const res = await send(token(testApp(services))).expect(400)
        expect(res.body.error).to.equal('invalid_request')
        expect(res.headers['cache-control']).to.equal('no-store')
      })
    }

    it('when an address sends such credentials AUTH_FAILURE_ADDRESS_LIMIT times, then it is 429 as for any failure', async () => {
      const throttled = testApp(services)
      for (let i = 0; i < 12; i++) {
        await token(throttled).send(`grant_type=client_credentials&client_id=a%00${i}&client_secret=x`).expect(400)
      }
      await token(throttled)
        .auth(client.clientId, client.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(429)
    })

    it('when the database refuses a value of a token request (SQLSTATE class 22), then it is an OAuth 400, not a 500', async () => {
      const refusing = express()
      refusing.post('/oauth/token', async () => {
        await services.db.raw("select '0000-01-01'::date")
      })
      refusing.use('/oauth', oauthErrors(services.log))
      const res = await supertest(refusing).post('/oauth/token').expect(400)
      expect(res.body.error).to.equal('invalid_request')
      expect(res.headers['cache-control']).to.equal('no-store')
    })
  })

  describe('tokens never logged', () => {
    it('when a token is sent in a query string and refused, then the log holds neither it nor a client secret', async () => {
      const app = testApp(services)
      lines.length = 0
      await supertest(app).get(`/api/reference/suppliers?access_token=${client.token}`).expect(401)
      await supertest(app)
        .get(`/api/reference/suppliers?access_token=${client.token}`)
        .set('Authorization', `Bearer ${client.token}`)
        .expect(400)
      await supertest(app)
        .post(`/oauth/token?client_secret=${client.clientSecret}`)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(400)
      const issued = await token(app)
        .auth(client.clientId, client.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(200)
      const logged = lines.join('')
      expect(logged).to.contain('access_token=[Redacted]')
      for (const secret of [client.token, client.clientSecret, issued.body.access_token])
        expect(logged).not.to.contain(secret)
    })

    it('when a request is logged, then its line names it by id, method and url alone, with its status', async () => {
      const app = testApp(services)
      lines.length = 0
      await supertest(app)
        .get('/api/moves?per_page=1')
        .set('Authorization', `Bearer ${client.token}`)
        .set('Accept', 'application/vnd.api+json')
        .set('X-Request-Id', 'logged-request')
        .expect(200)
      const line = lines.map(l => JSON.parse(l)).find(l => l.req?.id === 'logged-request')
      expect(line.req).to.deep.equal({ id: 'logged-request', method: 'GET', url: '/api/moves?per_page=1' })
      expect(line.res).to.deep.equal({ statusCode: 200 })
    })
  })
})
