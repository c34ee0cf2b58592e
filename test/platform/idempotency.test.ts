import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { onPostgres } from '../support/db'

function newLocation(key: string) {
  return { data: { type: 'locations', attributes: { key, title: `Court ${key}`, location_type: 'court' } } }
}

let sequence = 0
const uniqueKey = () => `idem_${process.pid}_${Date.now()}_${++sequence}`

describe('Idempotency-Key on state-changing requests', () => {
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, admin } = world)
  })

  const post = (key: string | undefined, body: unknown, client = admin) => {
    const test = as(app, client).post('/api/reference/locations')
    return (key === undefined ? test : test.set('Idempotency-Key', key)).send(body as object)
  }
  const countByKey = async (key: string) =>
    Number((await services.db('locations').where({ key }).count<{ count: number }[]>('* as count'))[0]!.count)

  it('when the same request comes again with its key, then the stored status, headers and body are replayed with Idempotent-Replayed', async () => {
    const key = crypto.randomUUID()
    const body = newLocation(uniqueKey())
    const first = await post(key, body).expect(201)
    expect(first.headers).not.to.have.property('idempotent-replayed')
    const again = await post(key, body).expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.headers.location).to.equal(first.headers.location)
    expect(again.headers['content-type']).to.equal('application/vnd.api+json')
    expect(again.body).to.deep.equal(first.body)
    expect(await countByKey(body.data.attributes.key)).to.equal(1)
  })

  it('when the key is quoted as a structured-field string, then it is taken', async () => {
    const key = crypto.randomUUID()
    const body = newLocation(uniqueKey())
    await post(`"${key}"`, body).expect(201)
    const again = await post(key, body).expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
  })

  it('when the same key comes with a different request, then it is 422', async () => {
    const key = crypto.randomUUID()
    await post(key, newLocation(uniqueKey())).expect(201)
    const res = await post(key, newLocation(uniqueKey())).expect(422)
    expect(res.body.errors[0]).to.include({ code: 'idempotency_key_reused' })
    expect(res.body.errors[0].source).to.deep.equal({ header: 'Idempotency-Key' })
  })

  it('when the key is missing or not a UUID, then it is 400', async () => {
    const missing = await post(undefined, newLocation(uniqueKey())).expect(400)
    expect(missing.body.errors[0]).to.include({ code: 'missing_idempotency_key' })
    const malformed = await post('not-a-uuid', newLocation(uniqueKey())).expect(400)
    expect(malformed.body.errors[0]).to.include({ code: 'invalid_idempotency_key' })
  })

  it('when another client uses the same key, then it is its own request', async () => {
    const other = await world.clientWith({ roles: ['admin'] })
    const key = crypto.randomUUID()
    await post(key, newLocation(uniqueKey())).expect(201)
    await post(key, newLocation(uniqueKey()), other).expect(201)
  })

  it('when a request with a key fails, then the key is freed and a corrected retry goes through', async () => {
    const key = crypto.randomUUID()
    const taken = newLocation('bsi')
    await post(key, taken).expect(422)
    await post(key, newLocation(uniqueKey())).expect(201)
  })

  it('when the same key is still in flight, then it is 409; a stale claim is taken over', async () => {
    const key = crypto.randomUUID()
    const body = newLocation(uniqueKey())
    const claim = await services.idempotency.claim({
      apiClientId: admin.id,
      key,
      method: 'POST',
      path: '/api/reference/locations',
      body,
    })
    expect(claim.outcome).to.equal('claimed')
    const res = await post(key, body).expect(409)
    expect(res.body.errors[0].code).to.equal('idempotency_in_flight')
    await services
      .db('idempotency_keys')
      .where({ key })
      .update({ locked_at: new Date(Date.now() - 61_000) })
    await post(key, body).expect(201)
  })

  it('when keys are older than the retention period, then they are reaped', async () => {
    const key = crypto.randomUUID()
    await post(key, newLocation(uniqueKey())).expect(201)
    await services
      .db('idempotency_keys')
      .where({ key })
      .update({ created_at: new Date(Date.now() - 25 * 3600_000) })
    expect(await services.idempotency.reap(24)).to.be.greaterThan(0)
    expect(await services.db('idempotency_keys').where({ key }).first()).to.equal(undefined)
  })

  ;(onPostgres ? describe : describe.skip)('under concurrency (PostgreSQL)', () => {
    it('when 20 requests with one key arrive at once, then one location is made and none is a 500', async () => {
      const key = crypto.randomUUID()
      const body = newLocation(uniqueKey())
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(key, body)))
      const statuses = responses.map(r => r.status)
      expect(statuses).not.to.include(500)
      expect(statuses.every(s => s === 201 || s === 409)).to.equal(true)
      expect(statuses.filter(s => s === 201).length).to.be.greaterThan(0)
      expect(await countByKey(body.data.attributes.key)).to.equal(1)
      const replays = responses.filter(r => r.status === 201 && r.headers['idempotent-replayed'] === 'true')
      expect(replays.length).to.equal(statuses.filter(s => s === 201).length - 1)
    })
  })
})
