import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import { postTransaction } from '../../lib/nomis/finance'
import {
  addAlert,
  changeIepLevel,
  changePersonalDetails,
  changePersonalOfficer,
  changeSentenceInformation,
  closeAlert,
  dischargeOffender,
  moveCell,
  receiveOffender,
} from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { testApp, testClient, testServices, type TestClient, testWrite } from '../support/app'
import { onPostgres } from '../support/db'

type FeedEvent = { type: string; id: number; timestamp: string; noms_id: string; prison_id: string | null } & Record<
  string,
  unknown
>

describe('NOMIS API: event feed and records in', () => {
  const clock = fixedClock('2032-03-28T00:30:00Z')
  const nomsId = `E${String(process.pid % 10000).padStart(4, '0')}EV`
  let services: Services
  let app: Express
  let nomis: TestClient
  const feed = (query: string) =>
    supertest(app).get(`/nomisapi/offenders/events?${query}`).set('Authorization', `Bearer ${nomis.token}`)

  before(async function () {
    this.timeout(60_000)
    services = await testServices({ clock })
    app = testApp(services)
    nomis = await testClient(services, { roles: ['nomis'] })
    // Every change a prisoner record can go through, each a separate transaction, some in the same millisecond.
    const step = async (
      work: (tx: Parameters<Parameters<Services['db']['transaction']>[0]>[0]) => Promise<unknown>,
    ) => {
      await services.db.transaction(tx => work(tx))
      clock.advance(1)
    }
    await step(tx =>
      receiveOffender(testWrite(services, tx, clock), {
        noms_id: nomsId,
        given_name: 'GARY',
        surname: 'GATWICK',
        date_of_birth: '1972-02-02',
        gender_code: 'F',
        diet_code: 'DIAB',
        prison_id: 'BMI',
        housing_location: 'BMI-A-1-01',
        personal_officer: 'Brady, Phill',
        imprisonment_status_code: 'RX',
        arrived_at: '2032-03-28T00:29:00Z',
      }),
    )
    let alertId = 0
    await step(async tx => {
      alertId = await addAlert(testWrite(services, tx, clock), nomsId, {
        alert_type: 'X',
        alert_code: 'XB',
        alert_date: '2032-03-28',
      })
    })
    await step(tx => changeIepLevel(testWrite(services, tx, clock), nomsId, 'BAS'))
    await step(tx => moveCell(testWrite(services, tx, clock), nomsId, 'BMI-C-3-05'))
    await step(tx => changePersonalDetails(testWrite(services, tx, clock), nomsId, { surname: 'GATWICKE' }))
    await step(tx => changePersonalOfficer(testWrite(services, tx, clock), nomsId, 'Hickinbotham, Jilly'))
    await step(tx =>
      changeSentenceInformation(testWrite(services, tx, clock), nomsId, {
        convicted: false,
        imprisonment_status_code: 'UNKNOWN',
      }),
    )
    await step(tx =>
      postTransaction(testWrite(services, tx, clock), {
        nomsId,
        prisonId: 'BMI',
        type: 'MTDS',
        description: 'x',
        amount: 845,
        clientUniqueRef: null,
      }),
    )
    await step(tx => closeAlert(testWrite(services, tx, clock), nomsId, alertId))
    // Across the clocks-go-forward hour: UTC timestamps keep the order.
    clock.set('2032-03-28T01:30:00Z')
    await step(tx => dischargeOffender(testWrite(services, tx, clock), nomsId, 'CR'))
  })

  it('carries every event type of the seed that our records write, with its payload, in order', async () => {
    const res = await feed(`offender_id=${nomsId}&from_datetime=2032-03-28 00:00:00.000&limit=100`).expect(200)
    const events: FeedEvent[] = res.body.events
    expect(events.map(e => e.type)).to.deep.equal([
      'RECEPTION',
      'ALERT',
      'IEP_CHANGED',
      'INTERNAL_LOCATION_CHANGED',
      'PERSONAL_DETAILS_CHANGED',
      'PERSONAL_OFFICER_CHANGED',
      'SENTENCE_INFORMATION_CHANGED',
      'BALANCE_UPDATE',
      'ALERT',
      'DISCHARGE',
    ])
    expect(events[0]).to.include({ noms_id: nomsId, prison_id: 'BMI', timestamp: '2032-03-28 00:30:00.000' })
    const reception = events[0]!.reception as Record<string, Record<string, unknown>>
    expect(reception.offender_details!.personal_details).to.deep.include({
      offender_surname: 'GATWICK',
      offender_given_name_1: 'GARY',
      offender_dob: '1972-02-02 00:00:00',
      gender: { code: 'F', desc: 'Female' },
      diet: { code: 'DIAB', desc: 'Medical - Diabetic' },
    })
    expect(reception.offender_details!.sentence_information).to.deep.equal({
      reception_arrival_date_and_time: '2032-03-28 00:29:00',
      status: 'Remand',
      imprisonment_status: { code: 'RX', desc: 'Remanded to Magistrates Court' },
    })
    expect(reception.case_details).to.deep.equal({ personal_officer: 'Brady, Phill' })
    expect(events[1]!.alert).to.deep.equal({
      offender_details: {
        warnings: [
          {
            warning_type: { code: 'X', desc: 'Security' },
            warning_sub_type: { code: 'XB', desc: 'Bully' },
            warning_date: '2032-03-28 00:00:00',
            status: 'ACTIVE',
          },
        ],
      },
    })
    expect(events[2]!.iep_changed).to.deep.equal({
      offender_details: { entitlement: { iep_level: { code: 'BAS', desc: 'Basic' } } },
    })
    expect(events[3]!.internal_location_changed).to.deep.equal({
      offender_details: { location: { internal_location: 'BMI-C-3-05' } },
    })
    expect(events[4]!.personal_details_changed).to.deep.equal({ offender_details: { personal_details: {} } })
    expect(events[5]!.personal_officer_changed).to.deep.equal({
      offender_details: { case_details: { personal_officer: 'Hickinbotham, Jilly' } },
    })
    expect(events[6]!.sentence_information_changed).to.deep.equal({
      offender_details: {
        sentence_information: {
          status: 'Remand',
          imprisonment_status: { code: 'UNKNOWN', desc: 'Disposal Not Known' },
        },
      },
    })
    expect(events[7]!.balance_update).to.deep.equal({ account: { code: 'REG', desc: 'Private Cash' }, balance: 845 })
    expect(
      (events[8]!.alert as { offender_details: { warnings: { status: string }[] } }).offender_details.warnings[0]!
        .status,
    ).to.equal('INACTIVE')
    expect(events[9]).to.deep.include({
      prison_id: 'BMI',
      timestamp: '2032-03-28 01:30:00.000',
      discharge: {
        discharge_status: {
          discharge_datetime: '2032-03-28 02:30:00',
          discharge_reason: { code: 'CR', desc: 'Conditional Release' },
        },
      },
    })
  })

  it('loses and repeats nothing for a client that re-sends the last timestamp and drops ids it has seen', async () => {
    const all: FeedEvent[] = (await feed(`offender_id=${nomsId}&from_datetime=2032-03-28&limit=100`).expect(200)).body
      .events
    const seen = new Map<number, FeedEvent>()
    let from = '2032-03-28 00:00:00.000'
    for (let page = 0; page < 20; page++) {
      const events: FeedEvent[] = (
        await feed(`offender_id=${nomsId}&from_datetime=${encodeURIComponent(from)}&limit=3`).expect(200)
      ).body.events
      const fresh = events.filter(e => !seen.has(e.id))
      if (!fresh.length) break
      for (const e of fresh) seen.set(e.id, e)
      from = events.at(-1)!.timestamp
    }
    expect([...seen.keys()]).to.deep.equal(all.map(e => e.id))
    expect(all).to.have.length(10)
  })

  it('filters by prison, event type and from_datetime inclusively', async () => {
    const alerts = await feed(`offender_id=${nomsId}&event_type=ALERT&prison_id=BMI`).expect(200)
    expect(alerts.body.events.map((e: FeedEvent) => e.type)).to.deep.equal(['ALERT', 'ALERT'])
    const last = await feed(`offender_id=${nomsId}&from_datetime=2032-03-28T01:30:00.000Z`).expect(200)
    expect(last.body.events.map((e: FeedEvent) => e.type)).to.deep.equal(['DISCHARGE'])
    const elsewhere = await feed(`offender_id=${nomsId}&prison_id=LEI`).expect(200)
    expect(elsewhere.body.events).to.deep.equal([])
  })

  it('answers 400 for an unknown event type, a malformed from_datetime or a limit out of range', async () => {
    expect((await feed('event_type=PARTY').expect(400)).body).to.deep.equal({
      error: { message: 'Invalid query parameter event_type' },
    })
    expect((await feed('from_datetime=last-week').expect(400)).body).to.deep.equal({
      error: { message: 'Invalid query parameter from_datetime' },
    })
    await feed('limit=0').expect(400)
    await feed('limit=1001').expect(400)
  })

  ;(onPostgres ? describe : describe.skip)('under concurrency (PostgreSQL)', () => {
    const receive = (id: string) =>
      services.db.transaction(tx =>
        receiveOffender(testWrite(services, tx, clock), {
          noms_id: id,
          given_name: 'TEST',
          surname: 'RACE',
          date_of_birth: '1990-01-01',
          prison_id: 'MDI',
        }),
      )

    it('never shows an event committed later with an earlier or equal timestamp', async () => {
      const [first, second] = [
        `C${String(process.pid % 10000).padStart(4, '0')}CA`,
        `C${String(process.pid % 10000).padStart(4, '0')}CB`,
      ]
      await receive(first)
      await receive(second)
      const later = fixedClock('2033-05-01T10:00:05Z')
      const earlier = fixedClock('2033-05-01T10:00:00Z')
      let commitFirst!: () => void
      const held = new Promise<void>(resolve => (commitFirst = resolve))
      const a = services.db.transaction(async tx => {
        await changeIepLevel(testWrite(services, tx, later), first, 'ENH')
        await held
      })
      await new Promise(resolve => setTimeout(resolve, 100))
      let bDone = false
      const b = services.db
        .transaction(tx => changeIepLevel(testWrite(services, tx, earlier), second, 'BAS'))
        .then(() => {
          bDone = true
        })
      await new Promise(resolve => setTimeout(resolve, 300))
      expect(bDone).to.equal(false)
      commitFirst()
      await Promise.all([a, b])
      const events: FeedEvent[] = (await feed('event_type=IEP_CHANGED&from_datetime=2033-05-01&limit=1000').expect(200))
        .body.events
      const mine = events.filter(e => e.noms_id === first || e.noms_id === second)
      expect(mine.map(e => e.noms_id)).to.deep.equal([first, second])
      expect(mine[1]!.timestamp > mine[0]!.timestamp).to.equal(true)
    })

    it('gives a paging client every event exactly once while 30 transactions commit concurrently', async () => {
      const id = `C${String(process.pid % 10000).padStart(4, '0')}PG`
      await receive(id)
      // Each transaction's clock reads a little differently, so commit order and clock order disagree.
      const posts = Array.from({ length: 30 }, (_, i) =>
        services.db.transaction(tx => {
          const own = fixedClock(new Date(Date.parse('2034-01-01T00:00:00Z') + ((i * 7) % 30)))
          return postTransaction(testWrite(services, tx, own), {
            nomsId: id,
            prisonId: 'MDI',
            type: 'MTDS',
            description: 'x',
            amount: 1 + i,
            clientUniqueRef: null,
          })
        }),
      )
      const seen: number[] = []
      let from = '2034-01-01 00:00:00.000'
      let finished = false
      const all = Promise.all(posts).then(() => {
        finished = true
      })
      for (let round = 0; round < 500; round++) {
        const done = finished
        const events: FeedEvent[] = (
          await feed(
            `offender_id=${id}&event_type=BALANCE_UPDATE&from_datetime=${encodeURIComponent(from)}&limit=10`,
          ).expect(200)
        ).body.events
        const fresh = events.filter(e => !seen.includes(e.id))
        seen.push(...fresh.map(e => e.id))
        if (events.length) from = events.at(-1)!.timestamp
        if (done && !fresh.length) break
      }
      await all
      const everything: FeedEvent[] = (
        await feed(`offender_id=${id}&event_type=BALANCE_UPDATE&from_datetime=2034-01-01&limit=1000`).expect(200)
      ).body.events
      expect(everything).to.have.length(30)
      expect(seen).to.deep.equal(everything.map(e => e.id))
    })
  })
})
