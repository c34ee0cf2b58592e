import { expect } from 'chai'
import { fixedClock } from '../../lib/clock'
import { changeSentenceInformation, transferOut } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { runAllocationJob } from '../../lib/visits/allocationJob'
import { handleDomainEventMessage, snsEnvelope } from '../../lib/visits/events'
import { prisonerBalance } from '../../lib/visits/queries'
import { testServices, testWrite } from '../support/app'
import { testDb } from '../support/db'
import { testPrison, testPrisoner } from './support'

const TODAY = '2026-09-07'

describe('One eligibility decision for every visit path, and the refund policy', () => {
  const clock = fixedClock(`${TODAY}T09:00:00Z`)
  let services: Services
  const event = (eventType: string, additionalInformation: Record<string, unknown>, occurredAt?: string) =>
    handleDomainEventMessage(services, snsEnvelope({ eventType, additionalInformation, occurredAt }, clock))
  const book = (prisonerId: string, reference: string) => event('prison-visit.booked', { reference, prisonerId })
  const balance = async (prisonerId: string) => prisonerBalance(await testDb(), prisonerId)

  before(async () => {
    services = await testServices({ clock })
  })
  beforeEach(() => clock.set(`${TODAY}T09:00:00Z`))

  async function allocated() {
    const db = await testDb()
    const prison = await testPrison(db)
    const prisonerId = await testPrisoner(db, prison)
    await runAllocationJob(services, { prisonCode: prison, date: TODAY })
    return { db, prison, prisonerId }
  }

  it('when the prisoner is remand, in transit or at a prison that does not allocate, then a booked visit uses nothing', async () => {
    const { db, prison, prisonerId } = await allocated()
    await db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx, clock), prisonerId, {
        convicted: false,
        imprisonment_status_code: 'RX',
      }),
    )
    expect(await book(prisonerId, `${prisonerId}-e1`)).to.equal('not-charged')
    await db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx, clock), prisonerId, {
        convicted: true,
        imprisonment_status_code: 'SENT03',
      }),
    )
    await db('visit_allocation_prisons').where({ prison_code: prison }).update({ allocation_enabled: false })
    expect(await book(prisonerId, `${prisonerId}-e2`)).to.equal('not-charged')
    await db('visit_allocation_prisons').where({ prison_code: prison }).update({ allocation_enabled: true })
    await db.transaction(tx => transferOut(testWrite(services, tx, clock), prisonerId))
    expect(await book(prisonerId, `${prisonerId}-e3`)).to.equal('not-charged')
    expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 1 })
  })

  it('when a charged prisoner becomes remand, then the cancelled visit is still refunded; when the prison stops allocating, it is not', async () => {
    const { db, prison, prisonerId } = await allocated()
    expect(await book(prisonerId, `${prisonerId}-r1`)).to.equal('used-PVO')
    expect(await book(prisonerId, `${prisonerId}-r2`)).to.equal('used-VO')
    await db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx, clock), prisonerId, {
        convicted: false,
        imprisonment_status_code: 'RX',
      }),
    )
    expect(await event('prison-visit.cancelled', { reference: `${prisonerId}-r1` })).to.equal('refunded')
    expect(await balance(prisonerId)).to.include({ voBalance: 1, pvoBalance: 1 })
    await db('visit_allocation_prisons').where({ prison_code: prison }).update({ allocation_enabled: false })
    expect(await event('prison-visit.cancelled', { reference: `${prisonerId}-r2` })).to.equal('not-refunded')
    expect(await balance(prisonerId)).to.include({ voBalance: 1, pvoBalance: 1 })
  })

  it('when a reception reset arrives after a booking, then it wipes the balance as it stood at the reception only', async () => {
    const { prison, prisonerId } = await allocated()
    const receivedAt = '2026-09-07T09:30:00Z'
    clock.set('2026-09-07T10:00:00Z')
    for (const n of [1, 2, 3, 4]) await book(prisonerId, `${prisonerId}-a${n}`)
    expect(await balance(prisonerId)).to.include({ voBalance: -1, pvoBalance: 0 })
    const reset = await event(
      'prisoner-offender-search.prisoner.received',
      { nomsNumber: prisonerId, prisonId: prison, reason: 'NEW_ADMISSION' },
      receivedAt,
    )
    expect(reset).to.equal('reset')
    // The debt of the booking after the reception stands; the allocation before it was still spent.
    expect(await balance(prisonerId)).to.include({ voBalance: -1, pvoBalance: 0 })
    const db = await testDb()
    const detail = await db('visit_prisoners').where({ prisoner_id: prisonerId }).first()
    expect(detail.last_pvo_allocated_date).to.equal(null)
  })

  it('when the 26 cap is reached, then a refund whose order is gone adds no VO above it (#245 within #150)', async () => {
    const { db, prisonerId } = await allocated()
    expect(await book(prisonerId, `${prisonerId}-c1`)).to.equal('used-PVO')
    expect(await book(prisonerId, `${prisonerId}-c2`)).to.equal('used-VO')
    await db('visit_orders').where({ prisoner_id: prisonerId, status: 'USED', type: 'VO' }).delete()
    await db('visit_orders').insert(
      Array.from({ length: 25 }, () => ({
        prisoner_id: prisonerId,
        type: 'VO',
        status: 'AVAILABLE',
        created_date: TODAY,
      })),
    )
    expect(await balance(prisonerId)).to.include({ voBalance: 26 })
    expect(await event('prison-visit.cancelled', { reference: `${prisonerId}-c2` })).to.equal('refunded')
    expect(await balance(prisonerId)).to.include({ voBalance: 26 })
  })
})
