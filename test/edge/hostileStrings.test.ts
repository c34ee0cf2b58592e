import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { makeMove } from '../lifecycle/fixtures'
import { key } from '../moves/fixtures'
import { as, testApp, testClient, testServices, type TestClient } from '../support/app'
import { testPrison, testPrisoner } from '../visits/support'
import { ALL_ROLES, LONE_SURROGATE, NUL, plainJson } from './support'

describe('Hostile strings: a NUL or an unpaired surrogate is refused in every route family', () => {
  let services: Services
  let app: Express
  let client: TestClient

  before(async () => {
    services = await testServices()
    app = testApp(services)
    client = await testClient(services, { roles: ALL_ROLES })
  })

  describe('/api', () => {
    it("when a move's additional_information holds a NUL, then 422 points at it and the move is unchanged", async () => {
      const move = await makeMove(app, services, client)
      const before = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      const res = await as(app, client)
        .patch(`/api/moves/${move.id}`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'moves', id: move.id, attributes: { additional_information: NUL } } })
        .expect(422)
      expect(res.body.errors[0]).to.include({ code: 'unprocessable_entity', status: '422' })
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/additional_information' })
      const after = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      expect(after).to.deep.equal(before)
    })

    it("when a person's name holds a lone surrogate, then 422 points at it and nobody is created", async () => {
      const [{ count: before }] = await services.db('people').count<{ count: number }[]>('* as count')
      const res = await as(app, client)
        .post('/api/people')
        .set('Idempotency-Key', key())
        .send({ data: { type: 'people', attributes: { first_names: LONE_SURROGATE, last_name: 'TESTER' } } })
        .expect(422)
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/first_names' })
      const [{ count: after }] = await services.db('people').count<{ count: number }[]>('* as count')
      expect(Number(after)).to.equal(Number(before))
    })

    it('when a filter of a search body holds a NUL deep inside, then 422 points at that member', async () => {
      const res = await as(app, client)
        .post('/api/moves/filtered')
        .send({ data: { type: 'moves', attributes: { filter: { reference: [NUL] } } } })
        .expect(422)
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/filter/reference/0' })
    })

    it('when a query parameter holds a NUL, then 400 names the parameter', async () => {
      const res = await as(app, client).get('/api/moves?filter%5Bdate_from%5D=2031-01-01%00').expect(400)
      expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter', status: '400' })
      expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[date_from]' })
    })

    it('when a path parameter holds a NUL, then 400 names the parameter', async () => {
      const res = await as(app, client).get('/api/moves/abc%00def').expect(400)
      expect(res.body.errors[0].source).to.deep.equal({ parameter: 'id' })
    })
  })

  describe('/nomisapi', () => {
    it("when a transaction's description holds a NUL, then 400 names it in the NOMIS shape and no money moves", async () => {
      const base = '/nomisapi/prison/BMI/offenders/A1404AE'
      const before = (await plainJson(app, client).get(`${base}/accounts`).expect(200)).body
      const res = await plainJson(app, client)
        .post(`${base}/transactions`)
        .send({ type: 'MTDS', description: NUL, amount: 100, client_transaction_id: 'CL1', client_unique_ref: key() })
        .expect(400)
      expect(res.body).to.deep.equal({
        error: { message: 'description must not contain a NUL character or an unpaired UTF-16 surrogate' },
      })
      expect((await plainJson(app, client).get(`${base}/accounts`).expect(200)).body).to.deep.equal(before)
    })

    it('when a path parameter holds a lone surrogate, then 400 names it', async () => {
      const res = await plainJson(app, client).get('/nomisapi/offenders/A1404AE%ED%A0%80').expect(400)
      expect(res.body.error.message).to.match(/^noms_id /)
    })
  })

  describe('/visits and /queue-admin', () => {
    it("when a balance adjustment's userName holds a lone surrogate, then 400 in the HMPPS shape and the balance is unchanged", async () => {
      const prisonerId = await testPrisoner(services.db, await testPrison(services.db))
      const res = await plainJson(app, client)
        .put(`/visits/allocation/prisoner/${prisonerId}/balance`)
        .send({ voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: LONE_SURROGATE })
        .expect(400)
      expect(res.body).to.include({ status: 400, errorCode: 'bad_request' })
      expect(res.body.developerMessage).to.equal(JSON.stringify({ pointer: '/userName' }))
      const [{ count }] = await services
        .db('visit_order_history')
        .where({ prisoner_id: prisonerId })
        .count<{ count: number }[]>('* as count')
      expect(Number(count)).to.equal(0)
    })

    it('when a domain event holds a NUL at any depth, then 400 names the member', async () => {
      const res = await plainJson(app, client)
        .post('/queue-admin/domain-events')
        .send({ MessageId: key(), Message: JSON.stringify({}), MessageAttributes: { eventType: { Value: NUL } } })
        .expect(400)
      expect(res.body).to.include({ status: 400, errorCode: 'bad_request' })
      expect(res.body.developerMessage).to.equal(JSON.stringify({ pointer: '/MessageAttributes/eventType/Value' }))
    })
  })
})
