import { expect } from 'chai'
import type { Express } from 'express'
import { randomInt } from 'node:crypto'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import { receiveOffender } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import { testApp, testClient, testServices, type TestClient, testWrite } from '../support/app'
import { queuedDomainEvents } from './support'

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
function nomisNumber(): string {
  const letter = () => LETTERS[randomInt(LETTERS.length)]
  return `${letter()}${String(randomInt(10000)).padStart(4, '0')}${letter()}${letter()}`
}

// Issue #18, rule 5: no worker and no relay runs here, so whatever is on the queue was put there by the change itself.
describe('A prisoner-record change publishes its domain events in its own transaction', () => {
  const clock = fixedClock('2026-12-28T10:00:00Z')
  let services: Services
  let app: Express
  let records: TestClient

  before(async () => {
    services = await testServices({ clock })
    app = testApp(services)
    records = await testClient(services, { roles: ['records-admin'] })
  })

  const reception = (nomsId: string) => ({
    noms_id: nomsId,
    prison_id: 'BMI',
    given_name: 'TEST',
    surname: 'OUTBOX',
    date_of_birth: '1980-01-01',
    convicted: true,
    iep_level_code: 'STD',
  })

  it('when a reception commits, then its event is on the queue at once, stamped with the reception time', async () => {
    const nomsId = nomisNumber()
    await supertest(app)
      .post('/nomisapi/admin/receptions')
      .set('Authorization', `Bearer ${records.token}`)
      .send(reception(nomsId))
      .expect(201)
    expect(await queuedDomainEvents(services, nomsId)).to.deep.equal([
      {
        eventType: 'prisoner-offender-search.prisoner.received',
        version: 1,
        occurredAt: '2026-12-28T10:00:00.000Z',
        additionalInformation: { nomsNumber: nomsId, prisonId: 'BMI', reason: 'NEW_ADMISSION' },
      },
    ])
  })

  it('when a renumbering commits, then its merge event is on the queue at once', async () => {
    const oldId = nomisNumber()
    const newId = nomisNumber()
    await supertest(app)
      .post('/nomisapi/admin/receptions')
      .set('Authorization', `Bearer ${records.token}`)
      .send(reception(oldId))
      .expect(201)
    await supertest(app)
      .post(`/nomisapi/admin/offenders/${oldId}/noms_id`)
      .set('Authorization', `Bearer ${records.token}`)
      .send({ new_noms_id: newId })
      .expect(200)
    const events = await queuedDomainEvents(services, newId)
    expect(events.map(e => [e.eventType, e.additionalInformation])).to.deep.equal([
      ['prison-offender-events.prisoner.merged', { nomsNumber: newId, removedNomsNumber: oldId }],
    ])
  })

  it('when the change rolls back after publishing, then no message is left on the queue', async () => {
    const nomsId = nomisNumber()
    let publishedInside = 0
    await services.db
      .transaction(async tx => {
        await receiveOffender(testWrite(services, tx), reception(nomsId))
        publishedInside = (await queuedDomainEvents({ ...services, db: tx }, nomsId)).length
        throw new Error('the reception is abandoned')
      })
      .catch(() => undefined)
    expect(publishedInside).to.equal(1)
    expect(await queuedDomainEvents(services, nomsId)).to.deep.equal([])
  })
})
