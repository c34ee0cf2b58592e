import { expect } from 'chai'
import type { Express } from 'express'
import { randomInt } from 'node:crypto'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import { changeNomsId } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { runAllocationJob } from '../../lib/visits/allocationJob'
import { handleDomainEventMessage, snsEnvelope } from '../../lib/visits/events'
import { testApp, testClient, testServices, type TestClient, testWrite } from '../support/app'
import { testDb } from '../support/db'
import { until } from '../support/until'
import { testPrison, testPrisoner } from './support'

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
/** A prison number in NOMIS's form, which the records API insists on. */
function nomisNumber(): string {
  const letter = () => LETTERS[randomInt(LETTERS.length)]
  return `${letter()}${String(randomInt(10000)).padStart(4, '0')}${letter()}${letter()}`
}

describe('Visit allocation follows a prisoner who is renumbered or merged', () => {
  const clock = fixedClock('2026-12-28T10:00:00Z')
  let services: Services
  let app: Express
  let records: TestClient
  let visits: TestClient
  const event = (eventType: string, additionalInformation: Record<string, unknown>) =>
    handleDomainEventMessage(services, snsEnvelope({ eventType, additionalInformation }, clock))
  const book = (prisonerId: string, reference: string) => event('prison-visit.booked', { reference, prisonerId })
  const cancel = (reference: string) => event('prison-visit.cancelled', { reference })
  const get = (url: string) => supertest(app).get(url).set('Authorization', `Bearer ${visits.token}`)
  const balance = async (prisonerId: string) =>
    (await get(`/visits/allocation/prisoner/${prisonerId}/balance`).expect(200)).body

  before(async () => {
    services = await testServices({ clock })
    app = testApp(services)
    records = await testClient(services, { roles: ['records-admin'] })
    visits = await testClient(services, { roles: ['visits-admin'] })
  })
  beforeEach(async () => {
    clock.set('2026-12-28T10:00:00Z')
    visits = await testClient(services, { roles: ['visits-admin'] })
  })

  /** A convicted prisoner received over the records API, allocated on 28 December and then owing two VOs. */
  async function prisonerOwingTwo(prison: string) {
    const oldId = nomisNumber()
    await supertest(app)
      .post('/nomisapi/admin/receptions')
      .set('Authorization', `Bearer ${records.token}`)
      .send({
        noms_id: oldId,
        prison_id: prison,
        given_name: 'TEST',
        surname: 'RENUMBERED',
        date_of_birth: '1980-01-01',
        convicted: true,
        iep_level_code: 'STD',
      })
      .expect(201)
    // The reception's own reset is handled late (when the worker runs), and must spare what follows.
    clock.advance(60_000)
    await runAllocationJob(services, { prisonCode: prison, date: '2026-12-28' })
    const refs = [1, 2, 3, 4, 5].map(n => `${oldId}-v${n}`)
    const outcomes = []
    for (const reference of refs) outcomes.push(await book(oldId, reference))
    expect(outcomes).to.deep.equal(['used-PVO', 'used-VO', 'used-VO', 'used-VO', 'used-VO'])
    expect(await balance(oldId)).to.deep.equal({ prisonerId: oldId, voBalance: -2, pvoBalance: 0 })
    return { oldId, refs }
  }

  it('when a prisoner owing two VOs is renumbered, then the debt, the dates, the bookings and the history follow', async () => {
    const db = await testDb()
    const prison = await testPrison(db, true, { short: true })
    const { oldId, refs } = await prisonerOwingTwo(prison)
    const newId = nomisNumber()
    await supertest(app)
      .post(`/nomisapi/admin/offenders/${oldId}/noms_id`)
      .set('Authorization', `Bearer ${records.token}`)
      .send({ new_noms_id: newId })
      .expect(200)

    // Before visit allocation hears of it, the new number already answers with the carried balance.
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -2, pvoBalance: 0 })
    await services.queue.work()
    try {
      await until(async () => !(await db('visit_prisoners').where({ prisoner_id: oldId }).first()))
    } finally {
      await services.queue.stop()
    }
    expect(await db('visit_prisoners').where({ prisoner_id: newId }).first()).to.not.equal(undefined)
    expect(await balance(oldId)).to.deep.equal({ prisonerId: newId, voBalance: -2, pvoBalance: 0 })
    const detailed = (await get(`/visits/allocation/prisoner/${newId}/balance/detailed`).expect(200)).body
    expect(detailed).to.deep.include({
      voBalance: -2,
      negativeVos: 2,
      pvoBalance: 0,
      lastVoAllocatedDate: '2026-12-28',
      nextVoAllocationDate: '2027-01-11',
      lastPvoAllocatedDate: '2026-12-28',
    })

    // Four days after the last allocation nothing is due: no extra allocation under the new number.
    clock.set('2027-01-01T10:00:00Z')
    visits = await testClient(services, { roles: ['visits-admin'] })
    const job = await runAllocationJob(services, { prisonCode: prison, date: '2027-01-01' })
    const status = (await get(`/visits/allocation/job/${job.allocationJobReference}`).expect(200)).body
    expect(status.prisons[0]).to.include({
      convictedPrisoners: 1,
      processedPrisoners: 0,
      notDuePrisoners: 1,
      failedOrSkippedPrisoners: 0,
    })
    expect(await balance(newId)).to.include({ voBalance: -2 })

    // A visit booked under the old number is refunded to the new one: its debt is repaid.
    expect(await cancel(refs[4]!)).to.equal('refunded')
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -1, pvoBalance: 0 })
    expect(await cancel(refs[4]!)).to.equal('nothing-to-refund')
    expect(await cancel(refs[0]!)).to.equal('refunded')
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -1, pvoBalance: 1 })
    expect(await db('visit_bookings').whereIn('visit_reference', refs).pluck('prisoner_id')).to.deep.equal(
      refs.map(() => newId),
    )
    // An event still naming the old number is charged to the new one.
    expect(await book(oldId, `${oldId}-v6`)).to.equal('used-PVO')
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -1, pvoBalance: 0 })

    const history = (
      await get(`/visits/allocation/prisoner/${newId}/visit-order-history?fromDate=2026-12-01`).expect(200)
    ).body as { type: string }[]
    expect(history.map(h => h.type)).to.deep.equal([
      'VO_AND_PVO_ALLOCATION',
      ...refs.map(() => 'ALLOCATION_USED_BY_VISIT'),
      // The reception's late reset, which left everything after the reception as it was.
      'PRISONER_BALANCE_RESET',
      'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED',
      'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED',
      'ALLOCATION_USED_BY_VISIT',
    ])

    // On the next VO date the debt is repaid first: 2 VOs pay the one owed and leave one; no PVO is due yet.
    clock.set('2027-01-11T10:00:00Z')
    visits = await testClient(services, { roles: ['visits-admin'] })
    await runAllocationJob(services, { prisonCode: prison, date: '2027-01-11' })
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: 1, pvoBalance: 0 })
  })

  it('when a prisoner is renumbered and then given their first number back, then the whole ledger is under that number again', async () => {
    const db = await testDb()
    const prison = await testPrison(db, true, { short: true })
    const { oldId: first, refs } = await prisonerOwingTwo(prison)
    const second = nomisNumber()
    const renumber = (from: string, to: string) =>
      supertest(app)
        .post(`/nomisapi/admin/offenders/${from}/noms_id`)
        .set('Authorization', `Bearer ${records.token}`)
        .send({ new_noms_id: to })
        .expect(200)
    // What the queue delivers for a renumbering by the records (the first test runs the queue itself).
    const merged = (from: string, to: string) =>
      event('prison-offender-events.prisoner.merged', { nomsNumber: to, removedNomsNumber: from })
    await renumber(first, second)
    expect(await merged(first, second)).to.equal('merged')
    expect(await balance(second)).to.deep.equal({ prisonerId: second, voBalance: -2, pvoBalance: 0 })
    await renumber(second, first)
    // Before visit allocation hears of it, the number given back already answers with the ledger.
    expect(await balance(first)).to.deep.equal({ prisonerId: first, voBalance: -2, pvoBalance: 0 })
    expect(await merged(second, first)).to.equal('merged')
    expect(await db('visit_prisoners').where({ prisoner_id: first }).first()).to.not.equal(undefined)
    expect(await db('visit_prisoner_identities').whereIn('old_prisoner_id', [first, second])).to.have.length(1)
    expect(await db('visit_prisoner_identities').where({ old_prisoner_id: second }).first()).to.include({
      prisoner_id: first,
    })
    // The retired number resolves to the number in use, for reads and for events alike.
    expect(await balance(second)).to.deep.equal({ prisonerId: first, voBalance: -2, pvoBalance: 0 })
    expect(await book(second, `${first}-v6`)).to.equal('used-VO')
    expect(await balance(first)).to.deep.equal({ prisonerId: first, voBalance: -3, pvoBalance: 0 })
    expect(await cancel(refs[4]!)).to.equal('refunded')
    expect(await balance(first)).to.deep.equal({ prisonerId: first, voBalance: -2, pvoBalance: 0 })

    for (const table of ['visit_order_history', 'visit_change_log', 'negative_visit_orders', 'visit_bookings']) {
      expect(await db(table).where({ prisoner_id: second }).first(), table).to.equal(undefined)
    }
    const history = (
      await get(`/visits/allocation/prisoner/${first}/visit-order-history?fromDate=2026-12-01`).expect(200)
    ).body as { prisonerId: string; type: string }[]
    expect(history.map(h => h.prisonerId)).to.deep.equal(history.map(() => first))
    expect(history.slice(-2).map(h => h.type)).to.deep.equal([
      'ALLOCATION_USED_BY_VISIT',
      'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED',
    ])
  })

  it('when a visit event for the new number arrives before the renumbering is heard of, then the ledger is still one', async () => {
    const db = await testDb()
    const prison = await testPrison(db, true, { short: true })
    const { oldId, refs } = await prisonerOwingTwo(prison)
    const newId = nomisNumber()
    await db.transaction(tx => changeNomsId(testWrite(services, tx, clock), oldId, newId))
    expect(await book(newId, `${newId}-v7`)).to.equal('used-VO')
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -3, pvoBalance: 0 })
    expect(
      await event('prison-offender-events.prisoner.merged', { nomsNumber: newId, removedNomsNumber: oldId }),
    ).to.equal('nothing-to-merge')
    expect(await cancel(refs[3]!)).to.equal('refunded')
    expect(await balance(newId)).to.deep.equal({ prisonerId: newId, voBalance: -2, pvoBalance: 0 })
    expect(await db('visit_prisoners').where({ prisoner_id: newId }).first()).to.deep.include({
      prisoner_id: newId,
    })
  })

  it('when two records holding ledgers are merged, then the kept one has the higher balance, within the cap, and the later dates', async () => {
    const db = await testDb()
    const prison = await testPrison(db)
    const kept = await testPrisoner(db, prison)
    const removed = await testPrisoner(db, prison)
    await runAllocationJob(services, { prisonCode: prison, date: '2026-12-28' })
    await db('visit_prisoners').where({ prisoner_id: kept }).update({ last_vo_allocated_date: '2026-12-20' })
    await supertest(app)
      .put(`/visits/allocation/prisoner/${removed}/balance`)
      .set('Authorization', `Bearer ${visits.token}`)
      .send({ voAmount: 24, adjustmentReasonType: 'GOVERNOR_ADJUSTMENT', userName: 'STAFF' })
      .expect(200)
    expect(await book(removed, `${removed}-m1`)).to.equal('used-PVO')
    expect(
      await event('prison-offender-events.prisoner.merged', { nomsNumber: kept, removedNomsNumber: removed }),
    ).to.equal('merged')
    // The removed record had 26 VOs, the most anyone may hold; the kept one is topped up from 2 to 26.
    expect(await balance(kept)).to.deep.equal({ prisonerId: kept, voBalance: 26, pvoBalance: 1 })
    expect((await get(`/visits/allocation/prisoner/${kept}/balance/detailed`).expect(200)).body).to.include({
      lastVoAllocatedDate: '2026-12-28',
    })
    const history = await db('visit_order_history').where({ prisoner_id: kept }).pluck('type')
    expect(history).to.include.members(['MANUAL_PRISONER_BALANCE_ADJUSTMENT', 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE'])
    // The removed record's visit is refunded to the kept one: its PVO comes back.
    expect(await cancel(`${removed}-m1`)).to.equal('refunded')
    expect(await balance(kept)).to.deep.equal({ prisonerId: kept, voBalance: 26, pvoBalance: 2 })
  })
})
