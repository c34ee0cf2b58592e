import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { fixedClock } from '../../lib/clock'
import { changeSentenceInformation } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import {
  DOMAIN_EVENTS_QUEUE,
  handleDomainEventMessage,
  InvalidMessageError,
  snsEnvelope,
} from '../../lib/visits/events'
import { prisonerBalance } from '../../lib/visits/queries'
import { runAllocationJob } from '../../lib/visits/allocationJob'
import { until } from '../support/until'
import { testApp, testClient, testServices, type TestClient, testWrite } from '../support/app'
import { testDb } from '../support/db'
import { nomsNumber, testPrison, testPrisoner } from './support'

const TODAY = '2026-06-01'

describe('Visit allocation domain events', () => {
  let services: Services
  const event = (eventType: string, additionalInformation: Record<string, unknown>) =>
    handleDomainEventMessage(services, snsEnvelope({ eventType, additionalInformation }, services.clock))

  before(async () => {
    services = await testServices({ clock: fixedClock(`${TODAY}T09:00:00Z`) })
  })

  async function allocated(options: { convicted?: boolean } = {}) {
    const db = await testDb()
    const prison = await testPrison(db)
    const prisonerId = await testPrisoner(db, prison, options)
    await runAllocationJob(services, { prisonCode: prison, date: TODAY })
    return { prison, prisonerId }
  }

  const balance = async (prisonerId: string) => prisonerBalance(await testDb(), prisonerId)

  describe('convicted-status-changed', () => {
    it('when the record says convicted, then the ledger starts; the event never changes the record itself', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const prisonerId = await testPrisoner(db, prison, { convicted: false })
      const type = 'prisoner-offender-search.prisoner.convicted-status-changed'
      expect(await event(type, { nomsNumber: prisonerId, convictedStatus: 'Convicted' })).to.equal('remand')
      expect(await db('offenders').where({ noms_id: prisonerId }).first()).to.include({ convicted: false })
      expect(await balance(prisonerId)).to.equal(null)
      await db.transaction(tx =>
        changeSentenceInformation(testWrite(services, tx), prisonerId, {
          convicted: true,
          imprisonment_status_code: 'SENT03',
        }),
      )
      expect(await event(type, { nomsNumber: prisonerId, convictedStatus: 'Convicted' })).to.equal('convicted')
      expect(await balance(prisonerId)).to.deep.equal({ prisonerId, voBalance: 0, pvoBalance: 0 })
      await runAllocationJob(services, { prisonCode: prison, date: TODAY })
      expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 1 })
      await db.transaction(tx =>
        changeSentenceInformation(testWrite(services, tx), prisonerId, {
          convicted: false,
          imprisonment_status_code: 'RX',
        }),
      )
      expect(await event(type, { nomsNumber: prisonerId, convictedStatus: 'Remand' })).to.equal('remand')
      await runAllocationJob(services, { prisonCode: prison, date: '2026-06-15' })
      expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 1 })
    })

    it('fails for a prisoner we hold no record of, so that the queue retries it', async () => {
      try {
        await event('prisoner-offender-search.prisoner.convicted-status-changed', {
          nomsNumber: 'Z0000ZZ',
          convictedStatus: 'Convicted',
        })
        expect.fail('should have thrown')
      } catch (err) {
        expect((err as Error).message).to.match(/no prisoner record/)
      }
    })
  })

  describe('prisoner.received', () => {
    it('a new admission wipes the balance; a transfer keeps it', async () => {
      const { prison, prisonerId } = await allocated()
      const type = 'prisoner-offender-search.prisoner.received'
      expect(await event(type, { nomsNumber: prisonerId, prisonId: prison, reason: 'TRANSFERRED' })).to.equal('kept')
      expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 1 })
      expect(await event(type, { nomsNumber: prisonerId, prisonId: prison, reason: 'NEW_ADMISSION' })).to.equal('reset')
      expect(await balance(prisonerId)).to.include({ voBalance: 0, pvoBalance: 0 })
      const db = await testDb()
      const history = await db('visit_order_history').where({ prisoner_id: prisonerId }).orderBy('id', 'desc').first()
      expect(history.type).to.equal('PRISONER_BALANCE_RESET')
    })
  })

  describe('prisoner.merged', () => {
    it('tops the kept prisoner up to the higher balance and removes the other', async () => {
      const db = await testDb()
      const { prison, prisonerId: removed } = await allocated()
      const kept = await testPrisoner(db, prison)
      const type = 'prison-offender-events.prisoner.merged'
      expect(await event(type, { nomsNumber: kept, removedNomsNumber: removed })).to.equal('merged')
      expect(await balance(kept)).to.include({ voBalance: 2, pvoBalance: 1 })
      expect(await db('visit_prisoners').where({ prisoner_id: removed }).first()).to.equal(undefined)
      expect(await balance(removed)).to.deep.equal({ prisonerId: kept, voBalance: 2, pvoBalance: 1 })
      expect(await event(type, { nomsNumber: kept, removedNomsNumber: removed })).to.equal('nothing-to-merge')
    })
  })

  describe('prison-visit.booked and cancelled', () => {
    it('uses a PVO first, then a VO, then records debt; a repeated booking does nothing', async () => {
      const { prisonerId } = await allocated()
      const book = (reference: string) => event('prison-visit.booked', { reference, prisonerId })
      expect(await book('ab-cd-ef-01')).to.equal('used-PVO')
      expect(await book('ab-cd-ef-01')).to.equal('duplicate')
      expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 0 })
      expect(await book('ab-cd-ef-02')).to.equal('used-VO')
      expect(await book('ab-cd-ef-03')).to.equal('used-VO')
      expect(await book('ab-cd-ef-04')).to.equal('used-VO')
      expect(await balance(prisonerId)).to.include({ voBalance: -1, pvoBalance: 0 })
    })

    it('a cancellation refunds what the visit used, once', async () => {
      const { prisonerId } = await allocated()
      const refs = ['cc-00-00-01', 'cc-00-00-02', 'cc-00-00-03', 'cc-00-00-04'].map(r => `${r}-${prisonerId}`)
      for (const reference of refs) await event('prison-visit.booked', { reference, prisonerId })
      expect(await balance(prisonerId)).to.include({ voBalance: -1, pvoBalance: 0 })
      const cancel = (reference: string) => event('prison-visit.cancelled', { reference })
      expect(await cancel(refs[3]!)).to.equal('refunded')
      expect(await cancel(refs[3]!)).to.equal('nothing-to-refund')
      expect(await balance(prisonerId)).to.include({ voBalance: 0, pvoBalance: 0 })
      expect(await cancel(refs[0]!)).to.equal('refunded')
      expect(await balance(prisonerId)).to.include({ voBalance: 0, pvoBalance: 1 })
      expect(await cancel('never-booked')).to.equal('nothing-to-refund')
    })

    it('a remand prisoner\u2019s visit uses nothing', async () => {
      const { prisonerId } = await allocated({ convicted: false })
      expect(await event('prison-visit.booked', { reference: `r-${prisonerId}`, prisonerId })).to.equal('not-charged')
    })

    it('a visit in a session that needs no order uses nothing', async () => {
      const { prisonerId } = await allocated()
      const booked = { reference: `n-${prisonerId}`, prisonerId, visitRestriction: 'NONE' }
      expect(await event('prison-visit.booked', booked)).to.equal('not-charged')
      expect(await balance(prisonerId)).to.include({ voBalance: 2, pvoBalance: 1 })
    })
  })

  describe('messages', () => {
    it('rejects an unknown event type and a malformed message as undeliverable', async () => {
      for (const bad of [
        { Type: 'Notification', Message: 'not json', MessageId: '1' },
        { hello: 1 },
        snsEnvelope({ eventType: 'some.other.event', additionalInformation: { anything: 1 } }, services.clock),
      ]) {
        try {
          await handleDomainEventMessage(services, bad)
          expect.fail('should have thrown')
        } catch (err) {
          expect(err).to.be.instanceOf(InvalidMessageError)
        }
      }
      try {
        await event('prison-visit.booked', { reference: 'x' })
        expect.fail('should have thrown')
      } catch (err) {
        expect(err).to.be.instanceOf(InvalidMessageError)
      }
    })

    it('publishDomainEvent enqueues in the caller\u2019s transaction: nothing if it rolls back', async () => {
      const db = await testDb()
      const schema = services.config.queueSchema
      const count = async (marker: string) => {
        const { rows } = await db.raw(
          `SELECT count(*)::int AS n FROM ${schema}.job WHERE name = ? AND data->>'Message' LIKE ?`,
          [DOMAIN_EVENTS_QUEUE, `%${marker}%`],
        )
        return Number(rows[0].n)
      }
      const marker = nomsNumber()
      const publish = (tx: typeof db) =>
        services.events.publishDomainEvent(tx, { eventType: 'some.unhandled.event', additionalInformation: { marker } })
      await db
        .transaction(async tx => {
          await publish(tx)
          throw new Error('roll back')
        })
        .catch(() => undefined)
      expect(await count(marker)).to.equal(0)
      await db.transaction(async tx => void (await publish(tx)))
      expect(await count(marker)).to.equal(1)
    })
  })

  describe('through the queue', () => {
    let app: Express
    let admin: TestClient
    const http = () => ({
      post: (url: string) => supertest(app).post(url).set('Authorization', `Bearer ${admin.token}`),
      get: (url: string) => supertest(app).get(url).set('Authorization', `Bearer ${admin.token}`),
      delete: (url: string) => supertest(app).delete(url).set('Authorization', `Bearer ${admin.token}`),
    })
    const dlq = `/queue-admin/queues/${DOMAIN_EVENTS_QUEUE}/dead-letters`

    before(async () => {
      app = testApp(services)
      admin = await testClient(services, { roles: ['visits-admin'] })
      await services.queue.work()
    })
    after(async () => {
      await services.queue.stop()
    })

    it('processes the seed\u2019s example message for A8713DY end to end', async () => {
      const body = {
        Type: 'Notification',
        Message:
          '{"eventType": "prisoner-offender-search.prisoner.convicted-status-changed", "additionalInformation": {"nomsNumber": "A8713DY", "convictedStatus": "Convicted"}}',
        MessageId: '123',
      }
      const res = await http().post('/queue-admin/domain-events').send(body).expect(202)
      expect(res.body).to.include({ queue: DOMAIN_EVENTS_QUEUE, messageId: '123' })
      await until(async () => (await services.queue.state(DOMAIN_EVENTS_QUEUE, res.body.jobId)) === 'completed')
      expect(await balance('A8713DY')).to.not.equal(null)
    })

    it('a poison message lands on the dead-letter queue after its retries and is replayed from there', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const prisonerId = nomsNumber()
      const message = snsEnvelope(
        {
          eventType: 'prisoner-offender-search.prisoner.convicted-status-changed',
          additionalInformation: { nomsNumber: prisonerId, convictedStatus: 'Convicted' },
        },
        services.clock,
      )
      const sent = await http().post('/queue-admin/domain-events').send(message).expect(202)
      await until(async () => (await services.queue.state(DOMAIN_EVENTS_QUEUE, sent.body.jobId)) === 'failed')
      const job = await db.raw(`SELECT retry_count FROM ${services.config.queueSchema}.job WHERE id = ?`, [
        sent.body.jobId,
      ])
      expect(job.rows[0].retry_count).to.equal(services.config.eventsRetryLimit)
      const letters = await until(async () => {
        const list = await http().get(dlq).expect(200)
        const mine = list.body.messages.filter(
          (m: { data: { MessageId: string } }) => m.data.MessageId === message.MessageId,
        )
        return mine.length ? mine : null
      })
      expect(letters).to.have.length(1)

      await testPrisoner(db, prison, { nomsId: prisonerId, convicted: true })
      const retried = await http()
        .post(`${dlq}/retry`)
        .send({ ids: [letters[0].id] })
        .expect(200)
      expect(retried.body).to.deep.equal({ queue: DOMAIN_EVENTS_QUEUE, retried: 1 })
      await until(async () => (await db('visit_prisoners').where({ prisoner_id: prisonerId }).first()) ?? null)
      const after = await http().get(dlq).expect(200)
      expect(after.body.messages.map((m: { id: string }) => m.id)).to.not.include(letters[0].id)
    })

    it('purges the dead letters, and refuses a malformed message, an unknown queue and a non-admin', async () => {
      await http()
        .post('/queue-admin/domain-events')
        .send({ Type: 'Notification', Message: '{', MessageId: '1' })
        .expect(400)
      await http().post('/queue-admin/domain-events').send({ Type: 'Other', Message: '{}', MessageId: '1' }).expect(400)
      await http().get('/queue-admin/queues/no-such-queue/dead-letters').expect(404)
      const nomis = await testClient(services, { roles: ['nomis'] })
      await supertest(app).get(dlq).set('Authorization', `Bearer ${nomis.token}`).expect(403)
      const purged = await http().delete(dlq).expect(200)
      expect(purged.body.purged).to.be.a('number')
      expect((await http().get(dlq).expect(200)).body.messages).to.deep.equal([])
    })
  })
})
