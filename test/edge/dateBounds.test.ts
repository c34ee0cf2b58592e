import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove, postMove } from '../support/builders'
import { locationRef } from '../support/bodies'
import { testPrison, testPrisoner } from '../visits/support'
import { ALL_ROLES, plainJson } from './support'

/**
 * Dates PostgreSQL has no value for, or would keep as another value, are refused by the contract's
 * `date` and `date-time` formats (api/formats.ts) in every route family: year 0 (PostgreSQL goes from
 * 1 BC to AD 1) and the leap second `23:59:60` (which PostgreSQL reads as the next minute).
 */
describe('Date bounds: year 0 and leap seconds are refused at the edge, in every route family', () => {
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
    const moveAttributes = (attributes: object) => ({
      move_type: 'prison_transfer',
      status: 'requested',
      ...attributes,
    })
    const relationships = async () => ({
      from_location: locationRef(await location(world, 'bsi')),
      to_location: locationRef(await location(world, 'iwi')),
    })

    it('when a move is dated 0000-12-31 and due at 0000-01-01T00:00:00Z, then 422 points at each', async () => {
      const res = await postMove(
        world,
        client,
        moveAttributes({ date: '0000-12-31', time_due: '0000-01-01T00:00:00Z' }),
        await relationships(),
      ).expect(422)
      const pointers = res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)
      expect(pointers).to.include.members(['/data/attributes/date', '/data/attributes/time_due'])
    })

    it('when a move is due at a leap second, then 422 points at time_due', async () => {
      const res = await postMove(
        world,
        client,
        moveAttributes({ date: '2031-06-30', time_due: '2031-06-30T23:59:60Z' }),
        await relationships(),
      ).expect(422)
      expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.deep.equal([
        '/data/attributes/time_due',
      ])
    })

    it("when a move's time_due is changed to year 0, then 422 points at it and the move is unchanged", async () => {
      const move = await aMove(world, { by: client })
      const before = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      const res = await as(app, client)
        .patch(`/api/moves/${move.id}`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'moves', id: move.id, attributes: { time_due: '0000-01-01T09:00:00Z' } } })
        .expect(422)
      expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/time_due' })
      const after = (await as(app, client).get(`/api/moves/${move.id}`).expect(200)).body.data.attributes
      expect(after).to.deep.equal(before)
    })

    it('when a list filter is dated 0000-01-01, then 400 names the parameter', async () => {
      const res = await as(app, client).get('/api/moves?filter%5Bdate_to%5D=0000-01-01').expect(400)
      expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter', status: '400' })
      expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[date_to]' })
    })

    it('when AD 1 is sent, then it is still a date', async () => {
      await as(app, client).get('/api/moves?filter%5Bdate_to%5D=0001-01-01').expect(200)
    })
  })

  describe('/nomisapi', () => {
    it("when an account's transactions are asked for from 0000-01-01, then 400 names from_date", async () => {
      const res = await plainJson(app, client)
        .get('/nomisapi/prison/BMI/offenders/A1404AE/accounts/spends/transactions?from_date=0000-01-01')
        .expect(400)
      expect(res.body.error.message).to.match(/from_date/)
    })
  })

  describe('/visits', () => {
    it('when an allocation job is started for 0000-01-01, then 400 names allocationDate', async () => {
      const prison = await testPrison(services.db)
      await testPrisoner(services.db, prison)
      const res = await plainJson(app, client)
        .post('/visits/allocation/job/start')
        .send({ prisonCode: prison, allocationDate: '0000-01-01' })
        .expect(400)
      expect(res.body).to.include({ status: 400 })
      expect(res.body.userMessage).to.match(/^allocationDate must match format "date"/)
    })
  })
})
