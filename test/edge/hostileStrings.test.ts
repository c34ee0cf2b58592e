import { expect } from 'chai'
import type { Express } from 'express'
import type { Response } from 'supertest'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aMove } from '../support/builders'
import { testPrison, testPrisoner } from '../visits/support'
import { MAX_BODY_DEPTH } from '../../api/setUpHostileInput'
import { ALL_ROLES, LONE_SURROGATE, NUL, plainJson } from './support'

describe('Hostile strings: a NUL or an unpaired surrogate is refused in every route family', () => {
  let world: World
  let services: Services
  let app: Express
  let client: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app } = world)
    client = await world.clientWith({ roles: ALL_ROLES })
  })

  describe('/api', () => {
    it("when a move's additional_information holds a NUL, then 422 points at it and the move is unchanged", async () => {
      const move = await aMove(world, { by: client })
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

  describe('Deep nesting: a body nested deeper than MAX_BODY_DEPTH is refused as invalid JSON', () => {
    const junk = '__junk__'
    /**
     * The JSON text of `body` with `depth` arrays, one inside the other (`[[[...]]]`), in place of its
     * `junk` member's value: written as text, since the test client cannot stringify such a value either.
     */
    const nested = (body: object, depth: number): string =>
      JSON.stringify(body).replace(`"${junk}"`, '['.repeat(depth) + ']'.repeat(depth))

    /** A body of each family, with the deep value where an unknown or free member may sit. */
    const cases: { family: string; send: (depth: number) => Promise<Response> }[] = [
      {
        family: 'PATCH /api/moves/{id}',
        send: async depth => {
          const move = await aMove(world, { by: client })
          return as(app, client)
            .patch(`/api/moves/${move.id}`)
            .set('Idempotency-Key', key())
            .type('application/vnd.api+json')
            .send(nested({ data: { type: 'moves', id: move.id, attributes: { junk } } }, depth))
        },
      },
      {
        family: 'POST /api/moves/filtered',
        send: async depth =>
          as(app, client)
            .post('/api/moves/filtered')
            .type('application/vnd.api+json')
            .send(nested({ data: { type: 'moves', attributes: { filter: { junk } } } }, depth)),
      },
      {
        family: 'POST a NOMIS transaction',
        send: async depth =>
          plainJson(app, client)
            .post('/nomisapi/prison/BMI/offenders/A1404AE/transactions')
            .type('json')
            .send(
              nested(
                {
                  type: 'MTDS',
                  description: 'x',
                  amount: 1,
                  client_transaction_id: 'CL1',
                  client_unique_ref: key(),
                  junk,
                },
                depth,
              ),
            ),
      },
      {
        family: 'PUT /visits/allocation/prisoner/{id}/balance',
        send: async depth => {
          const prisonerId = await testPrisoner(services.db, await testPrison(services.db))
          return plainJson(app, client)
            .put(`/visits/allocation/prisoner/${prisonerId}/balance`)
            .type('json')
            .send(nested({ voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: 'TESTER', junk }, depth))
        },
      },
      {
        family: 'POST /queue-admin/domain-events',
        send: async depth =>
          plainJson(app, client)
            .post('/queue-admin/domain-events')
            .type('json')
            .send(nested({ MessageId: key(), Message: JSON.stringify({}), MessageAttributes: { junk } }, depth)),
      },
    ]

    for (const { family, send } of cases) {
      for (const depth of [3000, 100_000]) {
        it(`when ${family} carries a member nested ${depth} deep, then 400 invalid_json in its shape`, async () => {
          const res = await send(depth)
          expect(res.status).to.equal(400)
          expect(JSON.stringify(res.body)).to.include(`deeper than ${MAX_BODY_DEPTH} levels`)
          if (family.includes('/api/')) expect(res.body.errors[0]).to.include({ code: 'invalid_json', status: '400' })
          else if (family.includes('NOMIS')) expect(res.body.error.message).to.be.a('string')
          else expect(res.body).to.include({ status: 400, errorCode: 'invalid_json' })
        })
      }
    }

    it(`when a body nests no deeper than ${MAX_BODY_DEPTH} levels, then its depth alone is not refused`, async () => {
      // data, attributes, filter and the body itself are four of the levels.
      const res = await as(app, client)
        .post('/api/moves/filtered')
        .type('application/vnd.api+json')
        .send(nested({ data: { type: 'moves', attributes: { filter: { junk } } } }, MAX_BODY_DEPTH - 4))
      expect(res.status).to.equal(400)
      expect(JSON.stringify(res.body)).not.to.include('deeper than')
    })

    it(`when a body nests ${MAX_BODY_DEPTH + 1} levels, then it is refused`, async () => {
      const res = await as(app, client)
        .post('/api/moves/filtered')
        .type('application/vnd.api+json')
        .send(nested({ data: { type: 'moves', attributes: { filter: { junk } } } }, MAX_BODY_DEPTH - 3))
      expect(res.status).to.equal(400)
      expect(res.body.errors[0].code).to.equal('invalid_json')
    })
  })

  describe('Invalid UTF-8: a body or a query parameter that is not UTF-8 is refused, never stored as U+FFFD', () => {
    /** The JSON text of `body` with the raw bytes `bad` in place of the string value `'__bad__'`. */
    const withBytes = (body: object, bad: number[]): Buffer => {
      const [head, tail] = JSON.stringify(body).split('__bad__') as [string, string]
      return Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)])
    }
    /** Sends a Buffer body as its bytes: the test client would otherwise serialise it as JSON. */
    const asBytes = (bytes: Buffer) => bytes as unknown as string
    const STRAY = [0xff, 0xfe]
    const ENCODED_SURROGATE = [0xed, 0xa0, 0x80]

    it("when a move's additional_information holds the bytes FF FE, then 400 invalid_json and the move is unchanged", async () => {
      const move = await aMove(world, { by: client })
      const before = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      const res = await as(app, client)
        .patch(`/api/moves/${move.id}`)
        .set('Idempotency-Key', key())
        .type('application/vnd.api+json')
        .serialize(asBytes)
        .send(
          withBytes({ data: { type: 'moves', id: move.id, attributes: { additional_information: '__bad__' } } }, STRAY),
        )
        .expect(400)
      expect(res.body.errors[0]).to.include({
        code: 'invalid_json',
        status: '400',
        detail: 'The request body is not valid UTF-8',
      })
      const after = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      expect(after).to.deep.equal(before)
    })

    it("when a NOMIS transaction's description holds an encoded surrogate (ED A0 80), then 400 in the NOMIS shape", async () => {
      const res = await plainJson(app, client)
        .post('/nomisapi/prison/BMI/offenders/A1404AE/transactions')
        .type('json')
        .serialize(asBytes)
        .send(
          withBytes(
            { type: 'MTDS', description: '__bad__', amount: 1, client_transaction_id: 'CL1', client_unique_ref: key() },
            ENCODED_SURROGATE,
          ),
        )
        .expect(400)
      expect(res.body).to.deep.equal({ error: { message: 'The request body is not valid UTF-8' } })
    })

    it("when a balance adjustment's userName holds the bytes FF FE, then 400 invalid_json in the HMPPS shape", async () => {
      const prisonerId = await testPrisoner(services.db, await testPrison(services.db))
      const res = await plainJson(app, client)
        .put(`/visits/allocation/prisoner/${prisonerId}/balance`)
        .type('json')
        .serialize(asBytes)
        .send(withBytes({ voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: '__bad__' }, STRAY))
        .expect(400)
      expect(res.body).to.include({ status: 400, errorCode: 'invalid_json' })
    })

    it('when a query parameter percent-encodes a surrogate (%ED%A0%80), then 400 names the parameter', async () => {
      const res = await as(app, client).get('/api/people?filter%5Bprison_number%5D=%ED%A0%80').expect(400)
      expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter', status: '400' })
      expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[prison_number]' })
    })

    it('when a query parameter percent-encodes a stray byte (%FF), then /visits answers 400 in its shape', async () => {
      const prisonerId = await testPrisoner(services.db, await testPrison(services.db))
      const res = await plainJson(app, client)
        .get(`/visits/allocation/prisoner/${prisonerId}/visit-order-history?fromDate=%FF`)
        .expect(400)
      expect(res.body).to.include({ status: 400, errorCode: 'invalid_query_parameter' })
    })

    it('when a query parameter percent-encodes UTF-8 that is well formed (%C3%A9), then it is not refused for that', async () => {
      await as(app, client).get('/api/people?filter%5Bprison_number%5D=%C3%A9').expect(200)
    })
  })
})
