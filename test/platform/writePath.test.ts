import { expect } from 'chai'
import { ESLint } from 'eslint'
import type { Express } from 'express'
import path from 'node:path'
import { routeOperation } from '../../api/writePath'
import { DomainError } from '../../lib/errors'
import { Outbox } from '../../lib/notifications/outbox'
import type { Services } from '../../lib/services'
import { DomainEventPublisher } from '../../lib/visits/events'
import { allocationBody, key } from '../moves/fixtures'
import { as, testApp, testClient, testServices, type TestClient } from '../support/app'

/**
 * An outbox that refuses every notification: the write fails after the change itself is written. A
 * domain error (409), as a 500 would break the contract the test support checks after each test.
 */
class FailingOutbox extends Outbox {
  override async notifyMoveChanged(): Promise<string[]> {
    throw new DomainError('conflict', 'the outbox is down')
  }
}

/** A domain-event publisher that refuses every event (409). */
class FailingPublisher extends DomainEventPublisher {
  override async publishDomainEvent(): Promise<string> {
    throw new DomainError('conflict', 'the queue is down')
  }
}

describe('The one write path (api/writePath.ts)', () => {
  let services: Services
  let app: Express
  let serco: TestClient

  before(async () => {
    services = await testServices()
    app = testApp(services)
    serco = await testClient(services, { supplier: 'serco' })
  })

  const allocationsOn = async (date: string) =>
    Number((await services.db('allocations').where({ date }).count<{ count: number }[]>('* as count'))[0]!.count)
  const movesOn = async (date: string) =>
    Number((await services.db('moves').where({ date }).count<{ count: number }[]>('* as count'))[0]!.count)
  const keyRow = (idempotencyKey: string) =>
    services.db('idempotency_keys').where({ api_client_id: serco.id, key: idempotencyKey }).first()

  it('when a write fails after it has written, then nothing it wrote is kept and its key is free for a retry', async () => {
    const body = allocationBody()
    const date = body.data.attributes.date as string
    const idempotencyKey = key()
    const working = services.outbox
    services.outbox = new FailingOutbox(services.queue)
    try {
      await as(app, serco).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body).expect(409)
    } finally {
      services.outbox = working
    }
    expect(await allocationsOn(date)).to.equal(0)
    expect(await movesOn(date)).to.equal(0)
    expect(await keyRow(idempotencyKey)).to.equal(undefined)

    const retried = await as(app, serco).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body)
    expect(retried.status).to.equal(201)
    expect(retried.headers).not.to.have.property('idempotent-replayed')
    expect(await allocationsOn(date)).to.equal(1)
    expect(await movesOn(date)).to.equal(2)
  })

  it('when a finished write is sent again with its key, then the stored answer is replayed and nothing is written twice', async () => {
    const body = allocationBody()
    const date = body.data.attributes.date as string
    const idempotencyKey = key()
    const first = await as(app, serco).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body)
    expect(first.status).to.equal(201)
    const again = await as(app, serco).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body)
    expect(again.status).to.equal(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.headers.location).to.equal(first.headers.location)
    expect(again.body).to.deep.equal(first.body)
    expect(await allocationsOn(date)).to.equal(1)
    expect((await keyRow(idempotencyKey)).completed_at).to.be.instanceOf(Date)
  })

  it('when a write of another family fails after it has written, then nothing it wrote is kept', async () => {
    const records = await testClient(services, { roles: ['records-admin'] })
    const nomsId = `W${String(process.pid % 10000).padStart(4, '0')}WP`
    const reception = {
      noms_id: nomsId,
      prison_id: 'LEI',
      given_name: 'ROBIN',
      surname: 'WRITER',
      date_of_birth: '1985-04-03',
      gender_code: 'M',
      housing_location: 'LEI-B-2-07',
      convicted: false,
      imprisonment_status_code: 'RX',
      iep_level_code: 'STD',
    }
    const working = services.events
    // The reception's record, booking and feed event are written; its domain event then fails.
    services.events = new FailingPublisher(services.queue, services.clock)
    try {
      await as(app, records).post('/nomisapi/admin/receptions').send(reception).expect(409)
    } finally {
      services.events = working
    }
    expect(await services.db('offenders').where({ noms_id: nomsId }).first()).to.equal(undefined)
    expect(await services.db('offender_events').where({ noms_id: nomsId }).first()).to.equal(undefined)
    await as(app, records).post('/nomisapi/admin/receptions').send(reception).expect(201)
    expect(await services.db('offender_events').where({ noms_id: nomsId }).pluck('event_type')).to.deep.equal([
      'RECEPTION',
    ])
  })

  it('when a state-changing operation has a read handler, then the router refuses to start', () => {
    const read = async () => {}
    const declared = { path: '/nomisapi/admin/receptions', method: 'post', operation: { operationId: 'receive' } }
    expect(() => routeOperation(services, declared, { receive: read }, ['/nomisapi'])).to.throw(/must be a write/)
    const idempotent = { path: '/elsewhere', method: 'get', operation: { operationId: 'x', 'x-idempotent': true } }
    expect(() => routeOperation(services, idempotent, { x: read }, ['/api'])).to.throw(/must be a write/)
    const search = { path: '/api/moves/filtered', method: 'post', operation: { operationId: 'filterMoves' } }
    expect(routeOperation(services, search, { filterMoves: read }, ['/api'])).to.equal(read)
  })

  describe('lint (npm run lint, eslint.config.mjs)', function () {
    this.timeout(60_000)
    const eslint = new ESLint({ cwd: path.join(__dirname, '..', '..') })
    const problems = async (filePath: string, code: string) =>
      (await eslint.lintText(code, { filePath }))[0]!.messages.filter(m => m.ruleId === 'no-restricted-syntax')

    const opensTransaction = 'export const f = (db: { transaction(w: () => void): void }) => db.transaction(() => {})\n'

    it('when a use case or handler opens a transaction, then lint fails', async () => {
      expect(await problems('lib/moves/example.ts', opensTransaction)).to.have.length(1)
      expect(await problems('api/moves/example.ts', opensTransaction)).to.have.length(1)
    })

    it('when the write path, a scheduled job or a queue worker opens one, then lint passes', async () => {
      for (const owner of ['api/writePath.ts', 'lib/visits/allocationJob.ts', 'lib/notifications/delivery.ts']) {
        expect(await problems(owner, opensTransaction), owner).to.have.length(0)
      }
    })

    it('when lib/ keeps module-level mutable state, then lint fails', async () => {
      expect(await problems('lib/moves/example.ts', 'export let shared = 1\n')).to.have.length(1)
      expect(await problems('lib/visits/events.ts', 'let shared = 1\nexport const f = () => shared\n')).to.have.length(
        1,
      )
      expect(
        await problems('lib/moves/example.ts', 'export const f = () => {\n  let local = 1\n  return local\n}\n'),
      ).to.have.length(0)
    })
  })
})
