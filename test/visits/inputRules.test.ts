import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import type { Services } from '../../lib/services'
import { runAllocationJob } from '../../lib/visits/allocationJob'
import { type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'
import { testDb } from '../support/db'
import { testPrison, testPrisoner } from './support'

const TODAY = '2026-05-11'

/**
 * The /visits and /queue-admin input rules of openapi.yaml: a parameter or body that does not fit is
 * 400 in the HMPPS shape, its userMessage naming the member, before anything changes; impossible
 * dates never reach PostgreSQL; undeclared members of these bodies are refused, as the contract says
 * (additionalProperties: false).
 */
describe('Visit allocation: input rules', () => {
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient
  let prison: string
  let prisonerId: string

  const auth = <T extends supertest.Test>(t: T) => t.set('Authorization', `Bearer ${admin.token}`)
  const get = (url: string) => auth(supertest(app).get(url))
  const put = (url: string) => auth(supertest(app).put(url))
  const post = (url: string) => auth(supertest(app).post(url))
  /** What a refused request could have changed: the balances, their history, the switches, the amounts and jobs. */
  const state = async () => {
    const db = await testDb()
    const count = async (table: string) => Number((await db(table).count('* as n').first())!.n)
    return {
      prisons: await db('visit_allocation_prisons').where({ prison_code: prison }).first(),
      balance: (await get(`/visits/allocation/prisoner/${prisonerId}/balance`).expect(200)).body,
      tables: await Promise.all(['visit_incentive_amounts', 'visit_order_history', 'visit_allocation_jobs'].map(count)),
    }
  }
  /** The request is 400 in the HMPPS shape, its userMessage matching `message`, and nothing changed. */
  const refused = async (send: () => supertest.Test, message: RegExp) => {
    const before = await state()
    const res = await send().expect(400)
    expect(res.body.status).to.equal(400)
    // A query parameter's problem is the catalogue's invalid_query_parameter; the rest bad_request.
    expect(res.body.errorCode).to.be.oneOf(['bad_request', 'invalid_query_parameter'])
    expect(res.body.userMessage).to.match(message)
    expect(await state()).to.deep.equal(before)
  }

  before(async function () {
    this.timeout(60_000)
    // A world of its own: the date rules are checked against this suite's fixed clock.
    world = await variantWorld({ clock: fixedClock(`${TODAY}T10:00:00Z`) })
    ;({ services, app } = world)
    admin = await world.clientWith({ roles: ['visits-admin'] })
    const db = await testDb()
    prison = await testPrison(db)
    prisonerId = await testPrisoner(db, prison)
    await runAllocationJob(services, { prisonCode: prison, date: TODAY })
  })

  const adjustment = { voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: 'STAFF' }
  const adjust = (body: object) => put(`/visits/allocation/prisoner/${prisonerId}/balance`).send(body)

  describe('a manual balance adjustment', () => {
    const cases: [string, object, RegExp][] = [
      ['voAmount is a string', { ...adjustment, voAmount: '1' }, /^voAmount must be integer/],
      // Any amount JSON carries exactly, whatever its size, is the reference's 422 (endpoints.test.ts);
      // past the safe-integer range the number read is no longer the number sent.
      [
        'voAmount is past the safe-integer range',
        { ...adjustment, voAmount: 2 ** 53 },
        /^voAmount must be <= 9007199254740991/,
      ],
      [
        'pvoAmount is past the safe-integer range',
        { ...adjustment, pvoAmount: -(2 ** 53) },
        /^pvoAmount must be >= -9007199254740991/,
      ],
      ['pvoAmount is a fraction', { ...adjustment, pvoAmount: 0.5 }, /^pvoAmount must be integer/],
      ['pvoAmount is true', { ...adjustment, pvoAmount: true }, /^pvoAmount must be integer/],
      ['the reason is not in the list', { ...adjustment, adjustmentReasonType: 'BRIBE' }, /^adjustmentReasonType must/],
      ['userName is missing', { voAmount: 1, adjustmentReasonType: 'OTHER' }, /userName/],
      ['userName is empty', { ...adjustment, userName: '' }, /^userName must NOT have fewer than 1 characters/],
      [
        'the reason is OTHER without a text',
        { ...adjustment, adjustmentReasonType: 'OTHER' },
        /adjustmentReasonText must have required property/,
      ],
      [
        'the reason is OTHER with a blank text',
        { ...adjustment, adjustmentReasonType: 'OTHER', adjustmentReasonText: '  ' },
        /^adjustmentReasonText must match pattern/,
      ],
      ['a member is undeclared', { ...adjustment, voBalance: 26 }, /must NOT have additional properties/],
    ]
    for (const [when, body, message] of cases) {
      it(`when ${when}, then it is 400 naming the member and the balance is as before`, async () => {
        await refused(() => adjust(body), message)
      })
    }

    it('when the reason is OTHER with a text, then it is taken', async () => {
      await adjust({ ...adjustment, adjustmentReasonType: 'OTHER', adjustmentReasonText: 'Correction' }).expect(200)
    })
  })

  describe('dates and parameters', () => {
    for (const fromDate of ['2026-02-30', '2026-13-01', '11-05-2026']) {
      it(`when the history's fromDate is ${fromDate}, then it is 400 naming fromDate, never 500`, async () => {
        await refused(
          () => get(`/visits/allocation/prisoner/${prisonerId}/visit-order-history?fromDate=${fromDate}`),
          /^fromDate must match format "date"/,
        )
      })
    }

    it('when a job is started for 2026-02-30, then it is 400 naming allocationDate and no job starts', async () => {
      await refused(
        () => post('/visits/allocation/job/start').send({ allocationDate: '2026-02-30', prisonCode: prison }),
        /^allocationDate must match format "date"/,
      )
    })

    it('when a job is started for a prison code in lower case, then it is 400 naming prisonCode', async () => {
      await refused(() => post('/visits/allocation/job/start').send({ prisonCode: 'mdi' }), /^prisonCode must match/)
    })

    it('when a job reference is not one, then it is 400 naming reference', async () => {
      await refused(() => get('/visits/allocation/job/not-a-job'), /^reference must match pattern/)
    })

    it('when the prisoner id has a lower-case letter, then it is 400 naming prisonerId', async () => {
      await refused(() => get('/visits/allocation/prisoner/a1234bc/balance'), /^prisonerId must match pattern/)
    })
  })

  describe('admin', () => {
    it('when allocationEnabled is a string, then it is 400 naming it and the switch is as before', async () => {
      await refused(
        () => put(`/visits/admin/prisons/${prison}`).send({ allocationEnabled: 'false' }),
        /^allocationEnabled must be boolean/,
      )
    })

    it('when an incentive amount is past 26 or negative, then it is 400 naming it', async () => {
      await refused(
        () =>
          put(`/visits/admin/prisons/${prison}/incentive-amounts/STD`).send({
            visitOrders: 27,
            privilegedVisitOrders: -1,
          }),
        /visitOrders must be <= 26; privilegedVisitOrders must be >= 0/,
      )
    })
  })

  describe('queue admin', () => {
    it('when the dead-letter limit is 0, then it is 400 naming limit', async () => {
      await refused(() => get('/queue-admin/queues/visits-domain-events/dead-letters?limit=0'), /^limit must be >= 1/)
    })

    it('when a retry names an id that is not a UUID, then it is 400 naming ids', async () => {
      await refused(
        () => post('/queue-admin/queues/visits-domain-events/dead-letters/retry').send({ ids: ['42'] }),
        /^ids\.0 must match format "uuid"/,
      )
    })

    it('when a domain event has no MessageId, then it is 400 naming MessageId and nothing is queued', async () => {
      await refused(() => post('/queue-admin/domain-events').send({ Type: 'Notification', Message: '{}' }), /MessageId/)
    })
  })
})
