import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import { fixedClock } from '../../lib/clock'
import type { Services } from '../../lib/services'
import { type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'

describe('OAuth2 client credentials and bearer tokens', () => {
  const clock = fixedClock('2026-11-21T10:00:00Z')
  let world: World
  let services: Services
  let app: Express
  let client: TestClient

  before(async () => {
    // A world of its own: token expiry and the token cache are driven by this suite's clock.
    world = await variantWorld({ clock })
    ;({ services, app } = world)
    client = world.frontend
  })

  it('issues a token for HTTP Basic credentials', async () => {
    const res = await supertest(app)
      .post('/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200)
    expect(res.body).to.include({ token_type: 'Bearer', expires_in: 7200 })
    expect(res.body.created_at).to.equal(Date.parse('2026-11-21T10:00:00Z') / 1000)
    expect(res.headers['cache-control']).to.equal('no-store')
  })

  it('issues a token for client_id and client_secret form fields', async () => {
    const res = await supertest(app)
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
      .expect(200)
    await supertest(app)
      .get('/api/reference/suppliers')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200)
  })

  it('refuses a wrong secret with 401 in the OAuth2 error shape', async () => {
    const res = await supertest(app)
      .post('/oauth/token')
      .auth(client.clientId, 'wrong')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(401)
    expect(res.body).to.deep.equal({ error: 'invalid_client', error_description: 'Client authentication failed' })
  })

  it('refuses another grant type with 400 unsupported_grant_type', async () => {
    const res = await supertest(app)
      .post('/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'password' })
      .expect(400)
    expect(res.body.error).to.equal('unsupported_grant_type')
  })

  it('answers 401 on /api without a token, with a malformed one, and with an unknown one', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer not-a-token']) {
      const test = supertest(app).get('/api/reference/suppliers')
      const res = await (authorization ? test.set('Authorization', authorization) : test).expect(401)
      expect(res.body.errors[0]).to.include({ code: 'unauthorized', detail: 'Token expired or invalid' })
      expect(res.headers['www-authenticate']).to.match(/^Bearer/)
    }
  })

  it('stops accepting a token once it has expired', async () => {
    const fresh = await world.clientWith({})
    const get = () => supertest(app).get('/api/reference/suppliers').set('Authorization', `Bearer ${fresh.token}`)
    await get().expect(200)
    clock.advance(7199 * 1000)
    await get().expect(200)
    clock.advance(2 * 1000)
    await get().expect(401)
  })

  it('remembers a token for AUTH_CACHE_SECONDS (5), and looks it up again after', async () => {
    const fresh = await world.clientWith({})
    const get = () => supertest(app).get('/api/reference/suppliers').set('Authorization', `Bearer ${fresh.token}`)
    await get().expect(200)
    const lookups = await countTokenLookups(() => get().expect(200))
    expect(lookups).to.equal(0)
    await services.db('access_tokens').where({ api_client_id: fresh.id }).delete()
    await get().expect(200)
    clock.advance(5 * 1000)
    await get().expect(401)
  })

  async function countTokenLookups(work: () => Promise<unknown>): Promise<number> {
    let count = 0
    const listener = (query: { sql: string }) => {
      if (query.sql.includes('access_tokens')) count++
    }
    services.db.on('query', listener)
    try {
      await work()
    } finally {
      services.db.removeListener('query', listener)
    }
    return count
  }
})
