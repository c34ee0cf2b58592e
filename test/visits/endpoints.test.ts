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

describe('Visit allocation endpoints', () => {
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient
  let nomis: TestClient
  let plain: TestClient

  before(async () => {
    // A world of its own: allocation dates come from this suite's fixed clock.
    world = await variantWorld({ clock: fixedClock(`${TODAY}T10:00:00Z`) })
    ;({ services, app } = world)
    admin = await world.clientWith({ roles: ['visits-admin'] })
    nomis = await world.clientWith({ roles: ['nomis'] })
    plain = world.frontend
  })

  const req = (client: TestClient | null) => {
    const agent = supertest(app)
    const auth = <T extends supertest.Test>(t: T) => (client ? t.set('Authorization', `Bearer ${client.token}`) : t)
    return {
      get: (url: string) => auth(agent.get(url)),
      post: (url: string) => auth(agent.post(url)),
      put: (url: string) => auth(agent.put(url)),
    }
  }

  async function allocatedPrisoner(level = 'STD'): Promise<string> {
    const db = await testDb()
    const prison = await testPrison(db)
    const prisonerId = await testPrisoner(db, prison, { level })
    await runAllocationJob(services, { prisonCode: prison, date: TODAY })
    return prisonerId
  }

  describe('balance and history', () => {
    it('when a prisoner was allocated, then their balance and detailed balance show it', async () => {
      const prisonerId = await allocatedPrisoner()
      const balance = await req(nomis).get(`/visits/allocation/prisoner/${prisonerId}/balance`).expect(200)
      expect(balance.body).to.deep.equal({ prisonerId, voBalance: 2, pvoBalance: 1 })
      expect(balance.headers['content-type']).to.match(/^application\/json/)
      const detailed = await req(admin).get(`/visits/allocation/prisoner/${prisonerId}/balance/detailed`).expect(200)
      expect(detailed.body).to.deep.include({
        availableVos: 2,
        accumulatedVos: 0,
        negativeVos: 0,
        availablePvos: 1,
        lastVoAllocatedDate: TODAY,
        nextVoAllocationDate: '2026-05-25',
        lastPvoAllocatedDate: TODAY,
        nextPvoAllocationDate: '2026-06-08',
      })
    })

    it('when the prisoner is unknown, then 404 in the reference error shape', async () => {
      const res = await req(nomis).get('/visits/allocation/prisoner/Z9999ZZ/balance').expect(404)
      expect(res.body).to.include({ status: 404, errorCode: 'not_found' })
      expect(res.body.userMessage).to.match(/Z9999ZZ/)
    })

    it('when there is no token, then 401; without a visits role, then 403', async () => {
      const res = await req(null).get('/visits/allocation/prisoner/A8713DY/balance').expect(401)
      expect(res.body).to.include({ status: 401, errorCode: 'unauthorized' })
      await req(plain).get('/visits/allocation/prisoner/A8713DY/balance').expect(403)
    })

    it('lists the history from a date with the incentive level of each allocation', async () => {
      const prisonerId = await allocatedPrisoner('ENH')
      const res = await req(admin)
        .get(`/visits/allocation/prisoner/${prisonerId}/visit-order-history?fromDate=${TODAY}`)
        .expect(200)
      expect(res.body).to.have.length(1)
      expect(res.body[0]).to.include({ type: 'VO_AND_PVO_ALLOCATION', voBalance: 3, pvoBalance: 1, userName: 'SYSTEM' })
      expect(res.body[0].attributes).to.deep.equal([{ type: 'INCENTIVE_LEVEL', value: 'ENH' }])
      const later = await req(admin)
        .get(`/visits/allocation/prisoner/${prisonerId}/visit-order-history?fromDate=2026-05-12`)
        .expect(200)
      expect(later.body).to.deep.equal([])
    })

    it('rejects a history request without fromDate or with an unknown parameter', async () => {
      const res = await req(admin).get('/visits/allocation/prisoner/A8713DY/visit-order-history').expect(400)
      expect(res.body).to.include({ status: 400 })
      await req(admin)
        .get('/visits/allocation/prisoner/A8713DY/visit-order-history?fromDate=2026-01-01&x=1')
        .expect(400)
    })
  })

  describe('manual adjustment', () => {
    const put = (prisonerId: string, body: object, client = admin) =>
      req(client).put(`/visits/allocation/prisoner/${prisonerId}/balance`).send(body)

    it('adds VOs and takes PVOs away, and records who and why', async () => {
      const prisonerId = await allocatedPrisoner()
      const res = await put(prisonerId, {
        voAmount: 3,
        pvoAmount: -1,
        adjustmentReasonType: 'GOVERNOR_ADJUSTMENT',
        userName: 'STAFF_USER',
      }).expect(200)
      expect(res.body).to.deep.equal({ prisonerId, voBalance: 5, pvoBalance: 0 })
      const db = await testDb()
      const log = await db('visit_change_log').where({ prisoner_id: prisonerId }).orderBy('id', 'desc').first()
      expect(log).to.include({
        change_type: 'MANUAL_PRISONER_BALANCE_ADJUSTMENT',
        change_source: 'STAFF',
        vo_balance: 5,
      })
    })

    it('answers 422 with the validation errors and changes nothing', async () => {
      const prisonerId = await allocatedPrisoner()
      const cases: [object, string[]][] = [
        [{}, ['VO_OR_PVO_NOT_SUPPLIED']],
        [{ voAmount: 25 }, ['VO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX']],
        [{ voAmount: -3 }, ['VO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO']],
        [{ pvoAmount: 26 }, ['PVO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX']],
        // Whatever its size: the staff UI maps these codes to the form field, so never a schema 400.
        [{ voAmount: -1000 }, ['VO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO']],
        // Past 32 bits too: the amount is checked in JavaScript and never reaches an integer column.
        [{ voAmount: 2147483648 }, ['VO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX']],
        [{ voAmount: -2147483649 }, ['VO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO']],
        [{ pvoAmount: 2147483648 }, ['PVO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX']],
        [{ pvoAmount: -2147483649 }, ['PVO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO']],
        [
          { voAmount: Number.MAX_SAFE_INTEGER, pvoAmount: Number.MIN_SAFE_INTEGER },
          ['VO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX', 'PVO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO'],
        ],
        [
          { voAmount: 1000, pvoAmount: -1000 },
          ['VO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX', 'PVO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO'],
        ],
        [
          { voAmount: -3, pvoAmount: -2 },
          ['VO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO', 'PVO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO'],
        ],
      ]
      for (const [amounts, errors] of cases) {
        const res = await put(prisonerId, { ...amounts, adjustmentReasonType: 'CORRECTIVE_ACTION', userName: 'U' })
        expect(res.status, JSON.stringify(amounts)).to.equal(422)
        expect(res.body.validationErrors).to.deep.equal(errors)
      }
      const balance = await req(admin).get(`/visits/allocation/prisoner/${prisonerId}/balance`).expect(200)
      expect(balance.body).to.include({ voBalance: 2, pvoBalance: 1 })
    })

    it('checks a PVO adjustment against the PVO balance, not the VO debt', async () => {
      const db = await testDb()
      const prisonerId = await allocatedPrisoner()
      await db('negative_visit_orders').insert(
        [1, 2, 3].map(() => ({ prisoner_id: prisonerId, type: 'VO', status: 'USED', created_date: TODAY })),
      )
      const res = await put(prisonerId, {
        pvoAmount: -1,
        adjustmentReasonType: 'OTHER',
        adjustmentReasonText: 'x',
        userName: 'U',
      })
      expect(res.status).to.equal(200)
      expect(res.body).to.include({ voBalance: -1, pvoBalance: 0 })
    })

    it('rejects a bad body with 400, OTHER without a text, a non-admin with 403 and an unknown prisoner with 404', async () => {
      const prisonerId = await allocatedPrisoner()
      await put(prisonerId, { voAmount: 1, adjustmentReasonType: 'BECAUSE', userName: 'U' }).expect(400)
      await put(prisonerId, { voAmount: 'one', adjustmentReasonType: 'OTHER', userName: 'U' }).expect(400)
      await put(prisonerId, { voAmount: 1, adjustmentReasonType: 'OTHER', userName: 'U' }).expect(400)
      await put(prisonerId, { voAmount: 1, adjustmentReasonType: 'OTHER', userName: 'U', extra: 1 }).expect(400)
      await put(prisonerId, { voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: 'U' }, nomis).expect(
        403,
      )
      await put('Z9999ZZ', { voAmount: 1, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: 'U' }).expect(404)
    })
  })

  describe('jobs', () => {
    it('starts a job for one prison, reports its counts, and a second start for the date claims nothing', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      await testPrisoner(db, prison)
      await testPrisoner(db, prison, { convicted: false })
      const started = await req(admin)
        .post('/visits/allocation/job/start')
        .send({ prisonCode: prison, allocationDate: '2026-05-12' })
        .expect(202)
      expect(started.body).to.include({ allocationDate: '2026-05-12', totalActivePrisons: 1 })
      expect(started.body.allocationJobReference).to.match(/^[0-9a-f]{2}(-[0-9a-f]{2}){3}$/)
      let job
      for (let i = 0; i < 100; i++) {
        job = (await req(admin).get(`/visits/allocation/job/${started.body.allocationJobReference}`).expect(200)).body
        if (job.prisons[0].endTimestamp) break
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      expect(job.prisons[0]).to.include({
        prisonCode: prison,
        convictedPrisoners: 1,
        processedPrisoners: 1,
        failedOrSkippedPrisoners: 0,
        failureMessage: null,
      })
      const again = await req(admin)
        .post('/visits/allocation/job/start')
        .send({ prisonCode: prison, allocationDate: '2026-05-12' })
        .expect(202)
      expect(again.body.totalActivePrisons).to.equal(0)
    })

    it('refuses a prison that is switched off, a client without visits-admin and an unknown job', async () => {
      const prison = await testPrison(await testDb(), false)
      const res = await req(admin).post('/visits/allocation/job/start').send({ prisonCode: prison }).expect(422)
      expect(res.body.errorCode).to.equal('unprocessable_entity')
      await req(nomis).post('/visits/allocation/job/start').send({}).expect(403)
      await req(admin).get('/visits/allocation/job/00-00-00-00').expect(404)
      await req(admin).post('/visits/allocation/job/start').send({ allocationDate: 'yesterday' }).expect(400)
    })
  })

  describe('administration', () => {
    it('switches a prison on and changes its amounts, which the next allocation uses', async () => {
      const db = await testDb()
      const prison = await testPrison(db, false)
      const prisonerId = await testPrisoner(db, prison)
      await req(admin).put(`/visits/admin/prisons/${prison}`).send({ allocationEnabled: true }).expect(200)
      const switches = await req(admin).get('/visits/admin/prisons').expect(200)
      expect(switches.body).to.deep.include({ prisonCode: prison, active: true, allocationEnabled: true })
      const set = await req(admin)
        .put(`/visits/admin/prisons/${prison}/incentive-amounts/STD`)
        .send({ visitOrders: 4, privilegedVisitOrders: 2 })
        .expect(200)
      expect(set.body).to.deep.equal({ levelCode: 'STD', visitOrders: 4, privilegedVisitOrders: 2, isDefault: false })
      const amounts = await req(admin).get(`/visits/admin/prisons/${prison}/incentive-amounts`).expect(200)
      expect(amounts.body).to.deep.include({
        levelCode: 'BAS',
        visitOrders: 1,
        privilegedVisitOrders: 0,
        isDefault: true,
      })
      await runAllocationJob(services, { date: TODAY, prisonCode: prison })
      const balance = await req(admin).get(`/visits/allocation/prisoner/${prisonerId}/balance`).expect(200)
      expect(balance.body).to.include({ voBalance: 4, pvoBalance: 2 })
    })

    it('rejects an unknown prison, bad amounts and a client without visits-admin', async () => {
      await req(admin).put('/visits/admin/prisons/ZZZ').send({ allocationEnabled: true }).expect(404)
      await req(admin)
        .put('/visits/admin/prisons/BMI/incentive-amounts/STD')
        .send({ visitOrders: -1, privilegedVisitOrders: 0 })
        .expect(400)
      await req(admin).put('/visits/admin/prisons/BMI').send({ allocationEnabled: 'yes' }).expect(400)
      await req(nomis).get('/visits/admin/prisons').expect(403)
    })
  })
})
