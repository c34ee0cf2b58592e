import { expect } from 'chai'
import { changeNomsId, changeSentenceInformation, receiveOffender } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { DOMAIN_EVENTS_QUEUE, snsEnvelope } from '../../lib/visits/events'
import { until } from '../support/until'
import { testServices, testWrite } from '../support/app'
import { queuedDomainEvents } from './support'

let sequence = 0
function newNomsId(): string {
  sequence += 1
  return `R${String((process.pid + sequence * 7) % 10000).padStart(4, '0')}${String.fromCharCode(65 + (sequence % 26))}Z`
}

describe('Prisoner-record changes reach visit allocation through the domain events queue', () => {
  let services: Services

  before(async () => {
    services = await testServices()
    await services.queue.work()
  })
  after(async () => services.queue.stop())

  const receive = (nomsId: string, prisonId: string, convicted: boolean) =>
    services.db.transaction(tx =>
      receiveOffender(testWrite(services, tx), {
        noms_id: nomsId,
        prison_id: prisonId,
        given_name: 'TEST',
        surname: 'PRISONER',
        date_of_birth: '1990-01-01',
        convicted,
        iep_level_code: 'STD',
      }),
    )
  const published = async (nomsId: string) => (await queuedDomainEvents(services, nomsId)).map(e => e.eventType)
  const ledger = (nomsId: string) => services.db('visit_prisoners').where({ prisoner_id: nomsId }).first()

  it('a remand prisoner becoming convicted starts a visit ledger, and each change is published once', async () => {
    const nomsId = newNomsId()
    await receive(nomsId, 'BMI', false)
    await services.db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx), nomsId, {
        convicted: true,
        imprisonment_status_code: 'SENT03',
      }),
    )
    await until(() => ledger(nomsId))
    expect(await published(nomsId)).to.deep.equal([
      'prisoner-offender-search.prisoner.received',
      'prisoner-offender-search.prisoner.convicted-status-changed',
    ])
  })

  it('a sentence change that keeps the convicted status publishes nothing', async () => {
    const nomsId = newNomsId()
    await receive(nomsId, 'LEI', true)
    await services.db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx), nomsId, {
        convicted: true,
        imprisonment_status_code: 'SENT03',
      }),
    )
    expect(await published(nomsId)).to.deep.equal(['prisoner-offender-search.prisoner.received'])
  })

  it('a change that rolls back publishes nothing', async () => {
    const nomsId = newNomsId()
    await services.db
      .transaction(async tx => {
        await receiveOffender(testWrite(services, tx), {
          noms_id: nomsId,
          prison_id: 'BMI',
          given_name: 'TEST',
          surname: 'PRISONER',
          date_of_birth: '1990-01-01',
        })
        throw new Error('operator abandoned the reception')
      })
      .catch(() => undefined)
    expect(await published(nomsId)).to.deep.equal([])
  })

  it('a renumbered prisoner keeps the visit ledger under the new number', async () => {
    const oldId = newNomsId()
    const newId = newNomsId()
    await receive(oldId, 'BMI', false)
    await services.db.transaction(tx =>
      changeSentenceInformation(testWrite(services, tx), oldId, {
        convicted: true,
        imprisonment_status_code: 'SENT03',
      }),
    )
    await until(() => ledger(oldId))
    await services.db.transaction(tx => changeNomsId(testWrite(services, tx), oldId, newId))
    await until(async () => (await ledger(newId)) && !(await ledger(oldId)))
  })
})

describe('The domain events queue under a backlog', () => {
  it('drains queued messages one after another without waiting a polling interval for each', async function () {
    this.timeout(90_000)
    const services = await testServices({ env: { EVENTS_POLLING_SECONDS: '10' } })
    const ids = await services.db.transaction(tx =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          services.queue.send(
            tx,
            DOMAIN_EVENTS_QUEUE,
            snsEnvelope({ eventType: 'test.unknown', additionalInformation: { i } }, services.clock),
          ),
        ),
      ),
    )
    await services.queue.work()
    try {
      await until(async () => {
        const states = await Promise.all(ids.map(id => services.queue.state(DOMAIN_EVENTS_QUEUE, id)))
        return states.every(state => state === 'completed')
      }, 60_000)
    } finally {
      await services.queue.stop()
    }
  })
})
