import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import type { Services } from '../../lib/services'
import { DOMAIN_EVENTS_QUEUE, snsEnvelope } from '../../lib/visits/events'
import { type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'
import { testDb } from '../support/db'
import { until } from '../support/until'

describe('Domain event payloads are checked at the door and by the worker', () => {
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient
  const send = (body: object) =>
    supertest(app).post('/queue-admin/domain-events').set('Authorization', `Bearer ${admin.token}`).send(body)
  const envelope = (eventType: string, additionalInformation: Record<string, unknown>) =>
    snsEnvelope({ eventType, additionalInformation }, services.clock)

  before(async () => {
    // A world of its own: a test runs workers on its queue and stops it, which the shared world's must not be.
    world = await variantWorld({})
    ;({ services, app } = world)
    admin = await world.clientWith({ roles: ['visits-admin'] })
  })

  it('when an event can only fail, then the admin send answers 400 and queues nothing', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['prison-visit.booked', { reference: '', prisonerId: 'A8713DY' }, /reference/],
      ['prison-visit.booked', { reference: 'ab-cd-ef-gh' }, /prisonerId/],
      ['prison-visit.cancelled', { reference: 42 }, /reference/],
      ['prisoner-offender-search.prisoner.received', { nomsNumber: 'A8713DY', prisonId: 'WWI', reason: 'X' }, /reason/],
      ['prison-offender-events.prisoner.merged', { nomsNumber: 'a8713dy', removedNomsNumber: 'A1234BC' }, /nomsNumber/],
      ['some.other.event', {}, /eventType/],
    ]
    for (const [eventType, info, why] of cases) {
      const res = await send(envelope(eventType, info))
      expect(res.status, `${eventType} ${JSON.stringify(info)}`).to.equal(400)
      expect(JSON.stringify(res.body)).to.match(why)
    }
  })

  it('when an invalid message reaches the worker anyway, then it is dead-lettered at once without retries', async () => {
    const db = await testDb()
    const bad = envelope('prison-visit.booked', { reference: '', prisonerId: 'A8713DY' })
    const id = await db.transaction(tx => services.queue.send(tx, DOMAIN_EVENTS_QUEUE, bad))
    await services.queue.work()
    try {
      await until(async () => (await services.queue.state(DOMAIN_EVENTS_QUEUE, id)) === 'completed')
    } finally {
      await services.queue.stop()
    }
    const job = await db.raw(`SELECT retry_count FROM ${services.config.queueSchema}.job WHERE id = ?`, [id])
    expect(job.rows[0].retry_count).to.equal(0)
    const letters = await services.queue.deadLetters(DOMAIN_EVENTS_QUEUE, 1000)
    expect(letters.filter(l => (l.data as { MessageId: string }).MessageId === bad.MessageId)).to.have.length(1)
  })
})
