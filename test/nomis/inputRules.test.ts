import { expect } from 'chai'
import type { Express } from 'express'
import { randomUUID } from 'node:crypto'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import type { Services } from '../../lib/services'
import { type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'

/**
 * The NOMIS input rules of openapi.yaml: every parameter and body member is checked at the door and
 * refused as NOMIS does (400, `{"error":{"message"}}` naming the member, or the seed's own wording),
 * money is a JSON integer of pence that fits its column, and dates and date-times are real ones, so
 * nothing bad reaches PostgreSQL and a refused request changes nothing.
 */
describe('NOMIS API: input rules', () => {
  const clock = fixedClock('2026-11-21T10:00:00Z')
  let world: World
  let services: Services
  let app: Express
  let nomis: TestClient
  let recordsAdmin: TestClient
  const base = '/nomisapi/prison/BMI/offenders/A1404AE'
  const as = (client: TestClient) => ({
    get: (url: string) => supertest(app).get(url).set('Authorization', `Bearer ${client.token}`),
    post: (url: string) => supertest(app).post(url).set('Authorization', `Bearer ${client.token}`),
    put: (url: string) => supertest(app).put(url).set('Authorization', `Bearer ${client.token}`),
  })
  /** What a refused request could have changed: the seed prisoner's money, holds, alerts and the feed. */
  const state = async () => ({
    transactions: await services.db('offender_transactions').where({ noms_id: 'A1404AE' }).count('* as n').first(),
    holds: await services.db('offender_holds').count('* as n').first(),
    payments: await services.db('stored_payments').count('* as n').first(),
    alerts: await services.db('offender_alerts').where({ noms_id: 'A1404AE' }).count('* as n').first(),
    events: await services.db('offender_events').count('* as n').first(),
  })
  /** The request is 400 in the NOMIS shape with a message matching `message`, and nothing changed. */
  const refused = async (send: () => supertest.Test, message: string | RegExp) => {
    const before = await state()
    const res = await send().expect(400)
    expect(Object.keys(res.body)).to.deep.equal(['error'])
    if (typeof message === 'string') expect(res.body.error.message).to.equal(message)
    else expect(res.body.error.message).to.match(message)
    expect(await state()).to.deep.equal(before)
  }

  before(async function () {
    this.timeout(60_000)
    // A world of its own: the date rules are checked against this suite's fixed clock.
    world = await variantWorld({ clock })
    ;({ services, app } = world)
    nomis = await world.clientWith({ roles: ['nomis'] })
    recordsAdmin = await world.clientWith({ roles: ['records-admin'] })
  })

  describe('money is a JSON integer number of pence, 1 to 2147483647', () => {
    const amounts: [string, unknown][] = [
      ['an exponent string "1e3"', '1e3'],
      ['a hex string "0x10"', '0x10'],
      ['a numeric string "100"', '100'],
      ['true', true],
      ['null', null],
      ['a fraction 1.5', 1.5],
      ['zero', 0],
      ['a negative amount', -1],
      ['2147483648, past the column', 2147483648],
    ]
    const writes: [string, string, Record<string, unknown>][] = [
      ['a transaction', 'transactions', { type: 'MTDS', description: 'Money to Prisoner via API' }],
      ['a payment', 'payment', { type: 'A_EARN', description: 'Wages' }],
      ['a hold', 'holds', { description: 'Hold' }],
    ]
    for (const [what, path, body] of writes) {
      for (const [when, amount] of amounts) {
        it(`when ${what}'s amount is ${when}, then it is 400 naming amount and nothing is posted`, async () => {
          await refused(
            () =>
              as(nomis)
                .post(`${base}/${path}`)
                .send({ ...body, amount }),
            /^amount must be/,
          )
        })
      }
      it(`when ${what} has no amount, then it is 400 naming amount`, async () => {
        await refused(() => as(nomis).post(`${base}/${path}`).send(body), /^amount must have required property/)
      })
    }

    it('when a transfer transaction sends the amount as a string, then it is 400 naming amount', async () => {
      await refused(
        () =>
          as(nomis)
            .post('/nomisapi/prison/LEI/offenders/A1404AE/transfer_transactions')
            .send({ type: 'MTDS', description: 'x', amount: '1e3' }),
        /^amount must be integer/,
      )
    })

    it('when the amount is the largest the column holds, then it is not refused for its size', async () => {
      // Refused by the rules that need the rows (no such balance to hold), not by its shape.
      const res = await as(nomis).post(`${base}/holds`).send({ amount: 2147483647 }).expect(400)
      expect(res.body.error.message).to.equal('There is no balance available in the Sub account')
    })
  })

  describe('dates and date-times are real calendar values', () => {
    it('when from_date is 2026-02-30, then it is 400 with the seed message, never 500', async () => {
      await refused(
        () => as(nomis).get(`${base}/accounts/spends/transactions?from_date=2026-02-30`),
        'Invalid or missing query parameter from_date',
      )
    })

    it('when to_date is 2026-13-01, then it is 400 Invalid query parameter to_date', async () => {
      await refused(
        () => as(nomis).get(`${base}/accounts/spends/transactions?from_date=2026-01-01&to_date=2026-13-01`),
        'Invalid query parameter to_date',
      )
    })

    for (const since of ['2018-02-30', '2018-01-10 25:00', '2018-01-10 03:60', '2018-01-10T03:34:61']) {
      it(`when modified_since is ${since}, then it is 400 Invalid query parameter modified_since`, async () => {
        await refused(
          () => as(nomis).get(`/nomisapi/offenders/A1404AE/alerts?modified_since=${encodeURIComponent(since)}`),
          'Invalid query parameter modified_since',
        )
      })
    }

    for (const since of ['2018-01-10', '2018-01-10 03:34', '2018-01-10 03:34:12', '2017-10-07T12:23:45.678']) {
      it(`when modified_since is the seed's form ${since}, then it is answered`, async () => {
        await as(nomis)
          .get(`/nomisapi/offenders/A1404AE/alerts?modified_since=${encodeURIComponent(since)}`)
          .expect(200)
      })
    }

    for (const from of ['2017-02-29 10:00', '2017-08-20 25:00', '2017-08-20 10:56:27.6278']) {
      it(`when from_datetime is ${from}, then it is 400 Invalid query parameter from_datetime`, async () => {
        await refused(
          () => as(nomis).get(`/nomisapi/offenders/events?from_datetime=${encodeURIComponent(from)}`),
          'Invalid query parameter from_datetime',
        )
      })
    }

    it("when from_datetime is the seed's 2017-08-20 10:56:27.627 or ends in Z, then it is answered", async () => {
      await as(nomis).get('/nomisapi/offenders/events?from_datetime=2017-08-20%2010:56:27.627').expect(200)
      await as(nomis).get('/nomisapi/offenders/events?from_datetime=2017-08-20T10:56:27.627Z').expect(200)
    })

    it('when a hold_until_date is 2026-02-30, then it is 400 naming hold_until_date', async () => {
      await refused(
        () => as(nomis).post(`${base}/holds`).send({ amount: 1, hold_until_date: '2026-02-30' }),
        /^hold_until_date must match format "date"/,
      )
    })

    it('when an alert_date is 2026-02-30, then the records-admin API refuses it naming alert_date', async () => {
      await refused(
        () =>
          as(recordsAdmin)
            .post('/nomisapi/admin/offenders/A1404AE/alerts')
            .send({ alert_type: 'X', alert_code: 'XA', alert_date: '2026-02-30' }),
        /^alert_date must match format "date"/,
      )
    })
  })

  describe('parameters fit their declared types and columns', () => {
    const cases: [string, () => supertest.Test, string][] = [
      ['noms_id is lower case', () => as(nomis).get('/nomisapi/offenders/a1404ae'), 'Invalid or missing noms_id'],
      [
        'account_code is not spends, cash or savings',
        () => as(nomis).get(`${base}/accounts/bitcoin/transactions?from_date=2016-01-01`),
        'Invalid or missing path parameter account_code',
      ],
      [
        'hold_number is not a number',
        () => as(nomis).put(`${base}/holds/abc/release`).send({}),
        'Invalid or missing path parameter hold_number',
      ],
      [
        'hold_number is 0',
        () => as(nomis).put(`${base}/holds/0/release`).send({}),
        'Invalid or missing path parameter hold_number',
      ],
      [
        'client_unique_ref has a space',
        () => as(nomis).get(`${base}/transactions/a%20b`),
        "Invalid client_unique_ref: at most 64 characters of A-Z, a-z, 0-9, '-' and '_'",
      ],
      [
        'limit is 0',
        () => as(nomis).get('/nomisapi/offenders/events?limit=0'),
        'Invalid query parameter limit: an integer from 1 to 1000',
      ],
      [
        'limit is 1001',
        () => as(nomis).get('/nomisapi/offenders/events?limit=1001'),
        'Invalid query parameter limit: an integer from 1 to 1000',
      ],
      [
        'limit is a fraction',
        () => as(nomis).get('/nomisapi/offenders/events?limit=2.5'),
        'Invalid query parameter limit: an integer from 1 to 1000',
      ],
      [
        'event_type is not one of the feed',
        () => as(nomis).get('/nomisapi/offenders/events?event_type=PAYDAY'),
        'Invalid query parameter event_type',
      ],
      [
        'include_inactive is yes',
        () => as(nomis).get('/nomisapi/offenders/A1404AE/alerts?include_inactive=yes'),
        'Invalid query parameter include_inactive',
      ],
      [
        'alert_id is past the column',
        () => as(recordsAdmin).post('/nomisapi/admin/offenders/A1404AE/alerts/2147483648/close').send({}),
        'Invalid or missing alert_id',
      ],
    ]
    for (const [when, send, message] of cases) {
      it(`when ${when}, then it is 400 "${message}" and nothing changes`, async () => {
        await refused(send, message)
      })
    }

    // Seed 002: the name is prepended to client_unique_ref and read back with it, so it holds only the
    // characters a client_unique_ref may; anything else would store a key no client could ask for.
    const clientNameMessage = "Invalid X-Client-Name: at most 64 characters of A-Z, a-z, 0-9, '-' and '_'"
    for (const [what, name] of [
      ['has a space', 'a b'],
      ['has a slash', 'a/b'],
      ['has an accented letter', 'é'],
      ['is 65 characters', 'x'.repeat(65)],
      ['is 200 characters', 'x'.repeat(200)],
    ]) {
      it(`when X-Client-Name ${what}, then a posting and a read are 400 naming X-Client-Name and nothing is posted`, async () => {
        await refused(
          () =>
            as(nomis)
              .post(`${base}/transactions`)
              .set('X-Client-Name', name!)
              .send({ type: 'MTDS', description: 'x', amount: 1, client_unique_ref: 'named-1' }),
          clientNameMessage,
        )
        await refused(() => as(nomis).get(`${base}/holds`).set('X-Client-Name', name!), clientNameMessage)
      })
    }

    it('when X-Client-Name is 64 characters of the allowed ones, then a 64-character reference posts and reads back with it', async () => {
      const name = `${'n'.repeat(62)}-_`
      const ref = `r${randomUUID().replace(/-/g, '')}`.padEnd(64, '0')
      const posted = await as(nomis)
        .post(`${base}/transactions`)
        .set('X-Client-Name', name)
        .send({ type: 'MTDS', description: 'x', amount: 1, client_unique_ref: ref })
        .expect(201)
      const found = await as(nomis).get(`${base}/transactions/${ref}`).set('X-Client-Name', name).expect(200)
      expect(found.body).to.include({ id: posted.body.id })
      // The path holds the reference as sent, never the name (seed 002): the prefixed form is no client_unique_ref.
      await refused(
        () => as(nomis).get(`${base}/transactions/${name}-${ref}`),
        "Invalid client_unique_ref: at most 64 characters of A-Z, a-z, 0-9, '-' and '_'",
      )
    })

    it('when include_inactive=true and limit=5, then they are read as a boolean and a number', async () => {
      await as(nomis).get('/nomisapi/offenders/A1404AE/alerts?include_inactive=true').expect(200)
      const feed = await as(nomis).get('/nomisapi/offenders/events?limit=1').expect(200)
      expect(feed.body.events).to.have.length.at.most(1)
    })
  })

  describe('bodies', () => {
    it('when a required member is missing, then it is 400 naming it and nothing is posted', async () => {
      await refused(
        () => as(nomis).post(`${base}/transactions`).send({ description: 'x', amount: 1 }),
        /^type must have required property/,
      )
    })

    it('when a string is too long, then it is 400 naming the member', async () => {
      await refused(
        () =>
          as(nomis)
            .post(`${base}/transactions`)
            .send({ type: 'MTDS', description: 'x'.repeat(241), amount: 1 }),
        /^description must NOT have more than 240 characters/,
      )
    })

    it('when several members are wrong, then each is named once', async () => {
      const res = await as(nomis)
        .post(`${base}/transactions`)
        .send({ type: 1, description: 2, amount: '3' })
        .expect(400)
      for (const name of ['type', 'description', 'amount']) expect(res.body.error.message).to.include(`${name} must`)
    })

    it('when a transaction carries a member NOMIS does not take, then it is ignored', async () => {
      const res = await as(nomis)
        .post(`${base}/transactions`)
        .send({ type: 'MTDS', description: 'Money to Prisoner via API', amount: 1, colour: 'blue' })
        .expect(201)
      expect(res.body.id).to.match(/^\d+-1$/)
    })
  })
})
