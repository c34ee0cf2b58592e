import { Writable } from 'node:stream'
import { expect } from 'chai'
import supertest from 'supertest'
import type { Express } from 'express'
import { createLogger } from '../../lib/log'
import { deadLetterQueue } from '../../lib/queue/queue'
import type { Services } from '../../lib/services'
import { DOMAIN_EVENTS_QUEUE, snsEnvelope, type SnsEnvelope } from '../../lib/visits/events'
import { testServices, type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'
import { until } from '../support/until'
import { nomsNumber } from '../visits/support'

const DLQ = deadLetterQueue(DOMAIN_EVENTS_QUEUE)

describe('hmpps-sqs compatible queue admin', () => {
  const lines: string[] = []
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient
  let poison: SnsEnvelope
  let poisonId: string
  const put = (url: string, as: TestClient = admin) =>
    supertest(app).put(url).set('Authorization', `Bearer ${as.token}`)
  const get = (url: string, as: TestClient = admin) =>
    supertest(app).get(url).set('Authorization', `Bearer ${as.token}`)
  const dlqMessages = async () => (await get(`/queue-admin/get-dlq-messages/${DLQ}?maxMessages=1000`).expect(200)).body

  // A message about a prisoner we hold no record of fails; with no retries it is dead-lettered at once.
  before(async function () {
    // Builds a world and a worker, and waits for the worker to dead-letter the message.
    this.timeout(60_000)
    const log = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }),
    )
    const env = { EVENTS_RETRY_LIMIT: '0' }
    // A world of its own: no retries, so that a failed message is dead-lettered at once.
    world = await variantWorld({ env })
    ;({ services, app } = world)
    admin = await world.clientWith({ roles: ['queue-admin'] })
    const worker = await testServices({ env, log })
    await worker.queue.work()
    poison = snsEnvelope(
      {
        eventType: 'prisoner-offender-search.prisoner.convicted-status-changed',
        additionalInformation: { nomsNumber: nomsNumber(), convictedStatus: 'Convicted' },
      },
      services.clock,
    )
    const sent = await services.db.transaction(tx => services.queue.send(tx, DOMAIN_EVENTS_QUEUE, poison))
    await until(async () => (await services.queue.state(DOMAIN_EVENTS_QUEUE, sent)) === 'failed')
    await worker.queue.stop()
    const found = await until(async () =>
      (await dlqMessages()).messages.find((m: { body: SnsEnvelope }) => m.body.MessageId === poison.MessageId),
    )
    poisonId = found.messageId
  })

  it('when a message is dead-lettered, then one log line gives the queue, the message id and the reason', () => {
    const entries = lines.map(line => JSON.parse(line)).filter(e => e.msg === 'message dead-lettered')
    expect(entries).to.have.length(1)
    expect(entries[0]).to.include({ queue: DOMAIN_EVENTS_QUEUE, dlq: DLQ, attempt: 1, retryLimit: 0 })
    expect(entries[0].messageId).to.be.a('string')
    expect(entries[0].reason).to.match(/no prisoner record/)
  })

  it('when a dead-letter queue is read, then GetDlqResult lists its messages without removing them', async () => {
    const first = await dlqMessages()
    expect(first.messagesFoundCount).to.be.at.least(1)
    expect(first.messagesReturnedCount).to.equal(first.messages.length)
    expect(first.messages).to.deep.include({ body: poison, messageId: poisonId })
    expect((await dlqMessages()).messages).to.deep.include({ body: poison, messageId: poisonId })
    const health = await supertest(app).get('/health').expect(200)
    expect(health.body.components[`${DOMAIN_EVENTS_QUEUE}-health`].details.messagesOnDlq).to.equal(
      first.messagesFoundCount,
    )
  })

  it('when a dead-letter queue is retried, then RetryDlqResult lists what went back to the queue, and the DLQ is empty', async () => {
    const res = await put(`/queue-admin/retry-dlq/${DLQ}`).expect(200)
    expect(res.body.messagesFoundCount).to.equal(res.body.messages.length)
    expect(res.body.messages).to.deep.include({ body: poison, messageId: poisonId })
    expect((await dlqMessages()).messagesFoundCount).to.equal(0)
    const depth = await services.queue.depth(DOMAIN_EVENTS_QUEUE)
    expect(depth.messagesOnQueue).to.be.at.least(1)
  })

  it('when a queue is purged, then PurgeQueueResult counts the messages found and none are left', async () => {
    const before = (await services.queue.depth(DOMAIN_EVENTS_QUEUE)).messagesOnQueue
    const res = await put(`/queue-admin/purge-queue/${DOMAIN_EVENTS_QUEUE}`).expect(200)
    expect(res.body).to.deep.equal({ messagesFoundCount: before })
    expect((await services.queue.depth(DOMAIN_EVENTS_QUEUE)).messagesOnQueue).to.equal(0)
  })

  it('when every dead-letter queue is retried, then there is one RetryDlqResult per queue', async () => {
    const res = await put('/queue-admin/retry-all-dlqs').expect(200)
    expect(res.body).to.have.length(services.queue.names().length)
    for (const result of res.body) expect(result).to.have.keys('messagesFoundCount', 'messages')
  })

  it('when the queue is not ours or the client lacks the queue-admin role, then 404 or 403 in the HMPPS shape', async () => {
    const notFound = await put('/queue-admin/retry-dlq/no-such-dlq').expect(404)
    expect(notFound.body).to.include({ status: 404, errorCode: 'not_found' })
    await put(`/queue-admin/retry-dlq/${DOMAIN_EVENTS_QUEUE}`).expect(404)
    await put('/queue-admin/purge-queue/no-such-queue').expect(404)
    await get('/queue-admin/get-dlq-messages/no-such-dlq').expect(404)
    const visitsAdmin = await world.clientWith({ roles: ['visits-admin'] })
    for (const url of [
      `/queue-admin/retry-dlq/${DLQ}`,
      '/queue-admin/retry-all-dlqs',
      `/queue-admin/purge-queue/${DLQ}`,
    ]) {
      const res = await put(url, visitsAdmin).expect(403)
      expect(res.body.errorCode).to.equal('forbidden')
    }
    await get(`/queue-admin/get-dlq-messages/${DLQ}`, visitsAdmin).expect(403)
    await supertest(app).put('/queue-admin/retry-all-dlqs').expect(401)
  })
})
