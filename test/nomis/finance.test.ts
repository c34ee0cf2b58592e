import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import { postStoredPayments } from '../../lib/nomis/storedPaymentsJob'
import { scheduledJobs } from '../../lib/scheduler/jobs'
import { dischargeOffender, receiveOffender, transferOut } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { testApp, testClient, testServices, type TestClient, testWrite } from '../support/app'
import { onPostgres } from '../support/db'

let serial = 0
/** A fresh prisoner at a prison, so each test owns its balances. */
async function newPrisoner(services: Services, prisonId = 'BMI'): Promise<string> {
  const nomsId = `F${String(1000 + (process.pid % 7000) + ++serial).slice(-4)}${String.fromCharCode(65 + (serial % 26))}Z`
  await services.db.transaction(tx =>
    receiveOffender(testWrite(services, tx), {
      noms_id: nomsId,
      given_name: 'TEST',
      surname: 'PRISONER',
      date_of_birth: '1990-01-01',
      prison_id: prisonId,
      housing_location: `${prisonId}-A-1-01`,
    }),
  )
  return nomsId
}

describe('NOMIS API: finance', () => {
  const clock = fixedClock('2026-11-21T10:00:00Z')
  let services: Services
  let app: Express
  let nomis: TestClient
  const auth = <T extends supertest.Test>(t: T) => t.set('Authorization', `Bearer ${nomis.token}`)
  const get = (url: string) => auth(supertest(app).get(url))
  const post = (url: string) => auth(supertest(app).post(url))
  const put = (url: string) => auth(supertest(app).put(url))
  const base = (nomsId: string, prison = 'BMI') => `/nomisapi/prison/${prison}/offenders/${nomsId}`
  const pay = (nomsId: string, amount: number, type = 'MTDS', extra: Record<string, unknown> = {}) =>
    post(`${base(nomsId)}/transactions`).send({ type, description: 'Money to Prisoner via API', amount, ...extra })
  const balances = async (nomsId: string, prison = 'BMI') =>
    (await get(`${base(nomsId, prison)}/accounts`).expect(200)).body

  before(async function () {
    this.timeout(60_000)
    services = await testServices({ clock })
    app = testApp(services)
    nomis = await testClient(services, { roles: ['nomis'] })
  })

  it('answers the seed examples for GET accounts and spends transactions of A1404AE', async () => {
    expect(await balances('A1404AE')).to.deep.equal({ spends: 5343, cash: 0, savings: 0 })
    const res = await get(
      '/nomisapi/prison/BMI/offenders/A1404AE/accounts/spends/transactions?from_date=2016-01-01&to_date=',
    ).expect(200)
    const canteen = res.body.transactions.find((t: { type: { code: string } }) => t.type.code === 'CANT')
    expect(canteen).to.deep.include({
      type: { code: 'CANT', desc: 'Canteen Spend' },
      description: '1001118',
      amount: '-28',
      date: '2016-11-24',
    })
    expect(canteen.id).to.match(/^\d+-1$/)
    expect(res.body.transactions.at(-1)).to.deep.equal(canteen)
  })

  it('posts a transaction (201), moves the sub-account, and lists it first in NOMIS order', async () => {
    const nomsId = await newPrisoner(services)
    const credit = await pay(nomsId, 12700).expect(201)
    expect(credit.body.id).to.match(/^\d+-1$/)
    const debit = await pay(nomsId, 167, 'DTDS').expect(201)
    expect(await balances(nomsId)).to.deep.equal({ spends: 0, cash: 12533, savings: 0 })
    const list = await get(`${base(nomsId)}/accounts/cash/transactions?from_date=2026-11-21&to_date=2026-11-21`).expect(
      200,
    )
    expect(list.body.transactions.map((t: { id: string }) => t.id)).to.deep.equal([debit.body.id, credit.body.id])
    expect(list.body.transactions[0]).to.deep.equal({
      id: debit.body.id,
      type: { code: 'DTDS', desc: 'Disbursement through Digital service' },
      description: 'Money to Prisoner via API',
      amount: '-167',
      date: '2026-11-21',
    })
    const defaulted = await get(`${base(nomsId)}/accounts/cash/transactions?from_date=2026-11-01`).expect(200)
    expect(defaulted.body.transactions).to.have.length(2)
  })

  it('answers the documented transaction-history errors', async () => {
    const early = await get(
      '/nomisapi/prison/BMI/offenders/A1404AE/accounts/spends/transactions?from_date=2016-01-02&to_date=2016-01-01',
    )
    expect(early.status).to.equal(400)
    expect(early.body).to.deep.equal({ error: { message: 'Invalid query parameter to_date' } })
    const code = await get('/nomisapi/prison/BMI/offenders/A1404AE/accounts/bitcoin/transactions?from_date=2016-01-01')
    expect(code.status).to.equal(400)
    expect(code.body).to.deep.equal({ error: { message: 'Invalid or missing path parameter account_code' } })
    const missing = await get('/nomisapi/prison/BMI/offenders/A1404AE/accounts/spends/transactions').expect(400)
    expect(missing.body.error.message).to.equal('Invalid or missing query parameter from_date')
  })

  it('answers 400 for accounts where the offender never had one, 404 for an unknown prison, 400 for a bad prison id', async () => {
    const none = await get('/nomisapi/prison/WWI/offenders/A1404AE/accounts').expect(400)
    expect(none.body).to.deep.equal({ error: { message: 'Offender does not have a trust account at this prison' } })
    const unknown = await get('/nomisapi/prison/ZZZ/offenders/A1404AE/accounts').expect(404)
    expect(unknown.body).to.deep.equal({ error: { message: 'Prison Not Found' } })
    const bad = await get('/nomisapi/prison/bmi1/offenders/A1404AE/accounts').expect(400)
    expect(bad.body).to.deep.equal({ error: { message: 'Invalid or missing prison_id' } })
  })

  it('answers a malformed body and an unknown NOMIS route in the NOMIS error shape', async () => {
    const nomsId = await newPrisoner(services)
    const res = await post(`${base(nomsId)}/transactions`)
      .send({ type: 'MTDS', description: 'x', amount: 'lots' })
      .expect(400)
    expect(Object.keys(res.body)).to.deep.equal(['error'])
    expect(res.body.error.message).to.match(/amount/)
    const fraction = await post(`${base(nomsId)}/transactions`)
      .send({ type: 'MTDS', description: 'x', amount: 1.5 })
      .expect(400)
    expect(fraction.body.error.message).to.match(/amount/)
    const route = await get('/nomisapi/offenders/A1404AE/nothing-here').expect(404)
    expect(Object.keys(route.body)).to.deep.equal(['error'])
    expect(await balances(nomsId)).to.deep.equal({ spends: 0, cash: 0, savings: 0 })
  })

  it('answers an empty history for the offender at another prison', async () => {
    const res = await get('/nomisapi/prison/LEI/offenders/A1404AE/accounts/spends/transactions?from_date=2016-01-01')
    expect(res.status).to.equal(200)
    expect(res.body).to.deep.equal({ transactions: [] })
  })

  it('refuses insufficient funds, another prison and a type not set up there, changing nothing', async () => {
    const nomsId = await newPrisoner(services)
    await pay(nomsId, 100).expect(201)
    const before = await balances(nomsId)
    expect((await pay(nomsId, 101, 'DTDS').expect(400)).body).to.deep.equal({
      error: { message: 'Insufficient Funds' },
    })
    const elsewhere = await post(`${base(nomsId, 'LEI')}/transactions`).send({
      type: 'MTDS',
      description: 'x',
      amount: 5,
    })
    expect(elsewhere.status).to.equal(400)
    expect(elsewhere.body).to.deep.equal({ error: { message: 'Offender not in specified prison' } })
    expect((await pay(nomsId, 5, 'NOPE').expect(400)).body).to.deep.equal({
      error: { message: 'Invalid transaction type' },
    })
    const bsi = await newPrisoner(services, 'BSI')
    const canteen = await post(`${base(bsi, 'BSI')}/transactions`).send({ type: 'CANT', description: 'x', amount: 5 })
    expect(canteen.status).to.equal(400)
    expect(canteen.body.error.message).to.equal('Invalid transaction type')
    expect(await balances(nomsId)).to.deep.equal(before)
    expect((await pay('Z9999ZZ', 5).expect(404)).body).to.deep.equal({ error: { message: 'Offender Not Found' } })
  })

  it('keys client_unique_ref by X-Client-Name: 409 Duplicate post on reuse, found again by GET', async () => {
    const nomsId = await newPrisoner(services)
    const first = await pay(nomsId, 500, 'MTDS', { client_unique_ref: 'a1d2f3c5bf' })
      .set('X-Client-Name', 'syscon-dev-client')
      .expect(201)
    const again = await pay(nomsId, 500, 'MTDS', { client_unique_ref: 'a1d2f3c5bf' }).set(
      'X-Client-Name',
      'syscon-dev-client',
    )
    expect(again.status).to.equal(409)
    expect(again.body).to.deep.equal({ error: { message: 'Duplicate post' } })
    // Another client's same ref is another key.
    await pay(nomsId, 500, 'MTDS', { client_unique_ref: 'a1d2f3c5bf' }).set('X-Client-Name', 'other').expect(201)
    const found = await get(`${base(nomsId)}/transactions/a1d2f3c5bf`)
      .set('X-Client-Name', 'syscon-dev-client')
      .expect(200)
    expect(found.body).to.deep.include({
      id: first.body.id,
      amount: '500',
      type: { code: 'MTDS', desc: 'Money through digital service' },
    })
    const unprefixed = await get(`${base(nomsId)}/transactions/a1d2f3c5bf`).expect(404)
    expect(unprefixed.body).to.deep.equal({ error: { message: 'Transaction not found' } })
    expect(await balances(nomsId)).to.deep.include({ cash: 1000 })
  })

  it('refuses a client_unique_ref over 64 characters or with other characters, before prefixing', async () => {
    const nomsId = await newPrisoner(services)
    await pay(nomsId, 5, 'MTDS', { client_unique_ref: 'x'.repeat(64) })
      .set('X-Client-Name', 'a-long-client-name')
      .expect(201)
    await pay(nomsId, 5, 'MTDS', { client_unique_ref: 'x'.repeat(65) }).expect(400)
    await pay(nomsId, 5, 'MTDS', { client_unique_ref: 'Hello, world!' }).expect(400)
    expect(await balances(nomsId)).to.deep.include({ cash: 5 })
  })

  ;(onPostgres ? describe : describe.skip)('under concurrency (PostgreSQL)', () => {
    it('gives exactly one 201 among 20 concurrent posts with one client_unique_ref', async () => {
      const nomsId = await newPrisoner(services)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => pay(nomsId, 100, 'MTDS', { client_unique_ref: 'race-1' })),
      )
      const statuses = results.map(r => r.status).sort()
      expect(statuses.filter(s => s === 201)).to.have.length(1)
      expect(statuses.filter(s => s === 409)).to.have.length(19)
      expect(await balances(nomsId)).to.deep.include({ cash: 100 })
    })

    it('never overdraws under 10 concurrent debits of an account that covers 3', async () => {
      const nomsId = await newPrisoner(services)
      await pay(nomsId, 300).expect(201)
      const results = await Promise.all(Array.from({ length: 10 }, () => pay(nomsId, 100, 'DTDS')))
      expect(results.filter(r => r.status === 201)).to.have.length(3)
      expect(await balances(nomsId)).to.deep.include({ cash: 0 })
    })
  })

  describe('holds', () => {
    it('holds money (the seed example), lists it, and releasing restores the available balance', async () => {
      const nomsId = await newPrisoner(services)
      await pay(nomsId, 1000).expect(201)
      const held = await post(`${base(nomsId)}/holds`)
        .set('X-Client-Name', 'shop')
        .send({
          description: 'Hold via API',
          amount: 150,
          reference_no: 'TEST0076',
          hold_until_date: '2026-12-07',
          client_unique_ref: 'seadiver',
        })
        .expect(200)
      const holdNumber = held.body['hold-number']
      expect(holdNumber).to.be.a('number')
      expect(await balances(nomsId)).to.deep.equal({ spends: 0, cash: 850, savings: 0 })
      const mine = await get(`${base(nomsId)}/holds`)
        .set('X-Client-Name', 'shop')
        .expect(200)
      expect(mine.body).to.deep.equal([
        {
          hold_number: holdNumber,
          client_unique_ref: 'seadiver',
          reference_no: 'TEST0076',
          description: 'Hold via API',
          entry_date: '2026-11-21',
          amount: 150,
          hold_until_date: '2026-12-07',
        },
      ])
      const others = await get(`${base(nomsId)}/holds`)
        .set('X-Client-Name', 'someone-else')
        .expect(200)
      expect(others.body[0]).not.to.have.property('client_unique_ref')
      const raw = await get(`${base(nomsId)}/holds?client_unique_ref=`).expect(200)
      expect(raw.body[0].client_unique_ref).to.equal('shop-seadiver')
      const byRef = await get(`${base(nomsId)}/holds?client_unique_ref=seadiver`)
        .set('X-Client-Name', 'shop')
        .expect(200)
      expect(byRef.body).to.have.length(1)
      expect((await get(`${base(nomsId)}/holds?client_unique_ref=nothing`).expect(200)).body).to.deep.equal([])

      const released = await put(`${base(nomsId)}/holds/${holdNumber}/release`).expect(200)
      expect(released.body).to.deep.equal({ message: 'Hold released' })
      expect(await balances(nomsId)).to.deep.equal({ spends: 0, cash: 1000, savings: 0 })
      expect((await get(`${base(nomsId)}/holds`).expect(200)).body).to.deep.equal([])
      const twice = await put(`${base(nomsId)}/holds/${holdNumber}/release`).expect(400)
      expect(twice.body).to.deep.equal({ error: { message: 'Hold not found' } })
    })

    it('answers every documented hold error and changes nothing', async () => {
      const nomsId = await newPrisoner(services)
      const hold = (body: Record<string, unknown>) =>
        post(`${base(nomsId)}/holds`).send({ description: 'Hold via API', ...body })
      expect((await hold({ amount: 10 }).expect(400)).body.error.message).to.equal(
        'There is no balance available in the Sub account',
      )
      await pay(nomsId, 100).expect(201)
      expect((await hold({ amount: 101 }).expect(400)).body.error.message).to.equal(
        'Hold Amount Cannot exceed the Balance Amount',
      )
      expect((await hold({ amount: 10, hold_until_date: '2026-11-21' }).expect(400)).body.error.message).to.equal(
        'Hold date should be greater than current date',
      )
      await hold({ amount: 10, client_unique_ref: 'once' }).expect(200)
      expect((await hold({ amount: 10, client_unique_ref: 'once' }).expect(409)).body).to.deep.equal({
        error: { message: 'Duplicate Post' },
      })
      expect(
        (
          await post(`${base('Z9999ZZ')}/holds`)
            .send({ amount: 1 })
            .expect(404)
        ).body.error.message,
      ).to.equal('Offender Not Found')
      expect(await balances(nomsId)).to.deep.include({ cash: 90 })
      // A held amount cannot be spent: only the available balance can.
      expect((await pay(nomsId, 91, 'DTDS').expect(400)).body.error.message).to.equal('Insufficient Funds')
    })
  })

  ;(onPostgres ? describe : describe.skip)('holds under concurrency (PostgreSQL)', () => {
    it('gives exactly one hold among 10 concurrent posts with one client_unique_ref', async () => {
      const nomsId = await newPrisoner(services)
      await pay(nomsId, 1000).expect(201)
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          post(`${base(nomsId)}/holds`).send({ amount: 100, client_unique_ref: 'hold-race' }),
        ),
      )
      expect(results.map(r => r.status).sort()).to.deep.equal([200, ...Array(9).fill(409)])
      expect(await balances(nomsId)).to.deep.include({ cash: 900 })
    })

    it('releases a hold once when 10 releases race', async () => {
      const nomsId = await newPrisoner(services)
      await pay(nomsId, 1000).expect(201)
      const held = await post(`${base(nomsId)}/holds`)
        .send({ amount: 400 })
        .expect(200)
      const results = await Promise.all(
        Array.from({ length: 10 }, () => put(`${base(nomsId)}/holds/${held.body['hold-number']}/release`)),
      )
      expect(results.filter(r => r.status === 200)).to.have.length(1)
      expect(results.filter(r => r.status === 400)).to.have.length(9)
      expect(await balances(nomsId)).to.deep.include({ cash: 1000 })
    })
  })

  describe('payments', () => {
    it('accepts a pay event and the posting step credits A_EARN and debits ADJ from spends', async () => {
      const nomsId = await newPrisoner(services)
      const accepted = await post(`${base(nomsId)}/payment`)
        .send({ type: 'A_EARN', description: 'Wages', amount: 450, client_transaction_id: 'PAY1' })
        .expect(200)
      expect(accepted.body).to.deep.equal({ message: 'Payment accepted' })
      await post(`${base(nomsId)}/payment`)
        .send({ type: 'ADJ', description: 'Award', amount: 100 })
        .expect(200)
      await post(`${base(nomsId)}/payment`)
        .send({ type: 'ADJ', description: 'Too much', amount: 10000 })
        .expect(200)
      expect(await balances(nomsId)).to.deep.include({ spends: 0 })
      const result = await postStoredPayments({ ...services, clock })
      expect(result.posted).to.be.at.least(2)
      expect(await balances(nomsId)).to.deep.include({ spends: 350 })
      const failed = await services.db('stored_payments').where({ noms_id: nomsId, amount: 10000 }).first()
      expect(failed.failure).to.equal('Insufficient Funds')
      await postStoredPayments({ ...services, clock })
      expect(await balances(nomsId)).to.deep.include({ spends: 350 })
    })

    it('posts waiting payments from the scheduled post-stored-payments job', async () => {
      const nomsId = await newPrisoner(services)
      await post(`${base(nomsId)}/payment`)
        .send({ type: 'A_EARN', amount: 75 })
        .expect(200)
      const job = scheduledJobs(services).find(j => j.name === 'post-stored-payments')!
      expect(job.schedule).to.equal('0 22 * * *')
      await job.run()
      expect(await balances(nomsId)).to.deep.include({ spends: 75 })
    })

    it('refuses payments at a prison that is not digital, and unknown types', async () => {
      const nomsId = await newPrisoner(services, 'BSI')
      const res = await post(`${base(nomsId, 'BSI')}/payment`)
        .send({ type: 'A_EARN', amount: 1 })
        .expect(400)
      expect(res.body).to.deep.equal({ error: { message: 'Prison is not a digital prison' } })
      await post(`${base(nomsId, 'BSI')}/payment`)
        .send({ type: 'BONUS', amount: 1 })
        .expect(400)
    })
  })

  describe('transfer transactions', () => {
    it('posts at the previous prison and moves the money to the current one (seed example, LEI to BMI)', async () => {
      const nomsId = await newPrisoner(services, 'LEI')
      await post(`${base(nomsId, 'LEI')}/transactions`)
        .send({ type: 'MTDS', description: 'x', amount: 300 })
        .expect(201)
      await services.db.transaction(async tx => {
        await transferOut(testWrite(services, tx, clock), nomsId)
        await receiveOffender(testWrite(services, tx, clock), {
          noms_id: nomsId,
          given_name: 'TEST',
          surname: 'PRISONER',
          date_of_birth: '1990-01-01',
          prison_id: 'BMI',
        })
      })
      expect(await balances(nomsId)).to.deep.include({ cash: 300 })
      const res = await post(`${base(nomsId, 'LEI')}/transfer_transactions`)
        .send({
          type: 'MTDS',
          description: 'Money to Prisoner via API',
          amount: 12700,
          client_transaction_id: 'TEST0063',
        })
        .expect(200)
      expect(res.body.current_location).to.deep.equal({ code: 'BMI', desc: 'BIRMINGHAM (HMP)' })
      expect(res.body.transaction.id).to.match(/^\d+-1$/)
      expect(await balances(nomsId)).to.deep.include({ cash: 13000 })
      expect(await balances(nomsId, 'LEI')).to.deep.equal({ spends: 0, cash: 0, savings: 0 })
    })

    it('pays out to NACRO when the offender has been released (seed example)', async () => {
      const nomsId = await newPrisoner(services)
      await pay(nomsId, 200).expect(201)
      await services.db.transaction(tx => dischargeOffender(testWrite(services, tx, clock), nomsId, 'CR'))
      const res = await post(`${base(nomsId)}/transfer_transactions`)
        .send({
          type: 'MTDS',
          description: 'Money to Prisoner via API',
          amount: 12700,
          client_transaction_id: 'TEST0063',
        })
        .expect(200)
      expect(res.body.current_location).to.deep.equal({ code: 'OUT', desc: 'OUTSIDE' })
      expect(await balances(nomsId)).to.deep.equal({ spends: 0, cash: 0, savings: 0 })
      const history = await get(`${base(nomsId)}/accounts/cash/transactions?from_date=2026-11-21`).expect(200)
      expect(history.body.transactions.map((t: { type: { code: string } }) => t.type.code)).to.deep.equal([
        'NACRO',
        'MTDS',
        'MTDS',
      ])
    })

    it('answers the documented transfer errors', async () => {
      const here = await newPrisoner(services)
      const send = (nomsId: string, prison: string, body: Record<string, unknown> = {}) =>
        post(`${base(nomsId, prison)}/transfer_transactions`).send({
          type: 'MTDS',
          description: 'x',
          amount: 5,
          ...body,
        })
      expect((await send(here, 'BMI').expect(400)).body.error.message).to.equal('Offender still in specified prison')
      expect((await send(here, 'LEI').expect(404)).body.error.message).to.equal('Offender never at prison')
      expect((await send('Z9999ZZ', 'BMI').expect(404)).body.error.message).to.equal('Offender Not Found')
      await services.db.transaction(tx => transferOut(testWrite(services, tx, clock), here))
      expect((await send(here, 'BMI').expect(400)).body.error.message).to.equal('Offender being transferred')
      expect((await send(here, 'BMI', { type: 'DTDS' }).expect(400)).body.error.message).to.equal(
        'Only receipt transaction types allowed',
      )
      expect((await send(here, 'BMI', { type: 'NOPE' }).expect(400)).body.error.message).to.equal(
        'Invalid transaction type',
      )
    })
  })

  it('keeps every sub-account equal to the sum of its transactions, and its hold balance to its open holds', async () => {
    const drift = await services.db.raw(`
      SELECT s.noms_id, s.prison_id, s.account_code
      FROM sub_accounts s
      LEFT JOIN (SELECT noms_id, prison_id, account_code, sum(amount) AS total FROM offender_transactions
                 GROUP BY noms_id, prison_id, account_code) t USING (noms_id, prison_id, account_code)
      LEFT JOIN (SELECT noms_id, prison_id, account_code, sum(amount) AS held FROM offender_holds
                 WHERE released_at IS NULL GROUP BY noms_id, prison_id, account_code) h USING (noms_id, prison_id, account_code)
      WHERE s.balance <> coalesce(t.total, 0) OR s.hold_balance <> coalesce(h.held, 0) OR s.balance < 0`)
    expect(drift.rows).to.deep.equal([])
    const accounts = await services.db('sub_accounts').count<{ count: number }[]>('* as count').first()
    expect(Number(accounts?.count)).to.be.greaterThan(50)
  })
})
