import { expect } from 'chai'
import type { Express } from 'express'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { NOTIFICATIONS_QUEUE } from '../../lib/notifications/outbox'
import { decrypt } from '../../lib/notifications/secrets'
import type { Services } from '../../lib/services'
import { as, testApp, testClient, testServices, type TestClient } from '../support/app'
import { freePort } from '../support/serverProcess'
import { key, makeAllocation, sendEvent } from '../moves/fixtures'
import {
  eventually,
  makeLocation,
  makeSupplier,
  signatureOf,
  sleep,
  startReceiver,
  unlinkTestSuppliers,
} from './receiver'

const SECRET = 'a-signing-secret-of-some-length'

/** A reference in the move reference alphabet, random enough not to meet another test's. */
function moveReference(): string {
  const letters = 'ACEFHJKMNPRTUVWXY'
  const pick = (alphabet: string) => alphabet[Math.floor(Math.random() * alphabet.length)]!
  return (
    [0, 1, 2].map(() => pick(letters)).join('') + [0, 1, 2, 3].map(() => pick('123456789')).join('') + pick(letters)
  )
}

type Mail = { to: string[]; raw: string }

describe('Supplier notifications', function () {
  this.timeout(60_000)
  let services: Services
  let app: Express
  let admin: TestClient
  const mails: Mail[] = []
  let smtp: SMTPServer

  before(async () => {
    const smtpPort = await freePort()
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let raw = ''
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map(r => r.address), raw })
          callback()
        })
      },
    })
    await new Promise<void>(resolve => smtp.listen(smtpPort, '127.0.0.1', resolve))
    expect((smtp.server.address() as AddressInfo).port).to.equal(smtpPort)
    services = await testServices({
      env: {
        NOTIFY_TIMEOUT_MS: '400',
        NOTIFY_RETRY_LIMIT: '2',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        PUBLIC_BASE_URL: 'https://moves.example.test',
      },
    })
    app = testApp(services)
    admin = await testClient(services, { roles: ['admin'] })
    await services.queue.work()
  })

  after(async () => {
    await services.queue.stop()
    await unlinkTestSuppliers(services.db)
    await new Promise<void>(resolve => smtp.close(() => resolve()))
  })

  async function subscribe(supplierId: string, attributes: Record<string, unknown>) {
    const res = await as(app, admin)
      .post('/api/subscriptions')
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'subscriptions',
          attributes,
          relationships: { supplier: { data: { type: 'suppliers', id: supplierId } } },
        },
      })
      .expect(201)
    return res.body.data.id as string
  }

  /** A supplier of its own with a subscription to `url`, its client, and a one-move allocation maker. */
  async function subscribedSupplier(url: string, extra: Record<string, unknown> = {}) {
    const supplier = await makeSupplier(services.db)
    const subscriptionId = await subscribe(supplier.id, { callback_url: url, secret: SECRET, ...extra })
    const client = await testClient(services, { supplier: supplier.key })
    const destination = await makeLocation(services.db, [])
    const move = async (toLocationId = destination) =>
      (
        await makeAllocation(
          app,
          client,
          { moves_count: 1 },
          {
            from_location: { data: { type: 'locations', id: supplier.locationId } },
            to_location: { data: { type: 'locations', id: toLocationId } },
          },
        )
      ).moveIds[0]!
    return { supplier, subscriptionId, client, move }
  }

  const notifications = (moveId: string) =>
    as(app, admin)
      .get(`/api/moves/${moveId}/notifications`)
      .expect(200)
      .then(res => res.body.data as { id: string; attributes: Record<string, unknown> }[])

  describe('subscriptions', () => {
    it('stores the secret encrypted, never shows it, and refuses non-admins and incomplete subscriptions', async () => {
      const supplier = await makeSupplier(services.db)
      const id = await subscribe(supplier.id, {
        callback_url: 'https://supplier.example.test/hook',
        secret: SECRET,
        username: 'pecs',
        password: 'basic-auth-password',
      })
      const stored = await services.db('subscriptions').where({ id }).first()
      expect(stored.secret_encrypted).to.not.include(SECRET)
      expect(decrypt(services.secretKey(), stored.secret_encrypted)).to.equal(SECRET)
      const shown = await as(app, admin).get(`/api/subscriptions/${id}?include=supplier`).expect(200)
      expect(JSON.stringify(shown.body)).to.not.include(SECRET).and.not.include('basic-auth-password')
      expect(shown.body.data.attributes).to.include({ has_secret: true, has_password: true, enabled: true })
      expect(shown.body.included[0].attributes.key).to.equal(supplier.key)
      const listed = await as(app, admin).get(`/api/subscriptions?filter[supplier_id]=${supplier.id}`).expect(200)
      expect(listed.body.data.map((s: { id: string }) => s.id)).to.deep.equal([id])

      const frontend = await testClient(services)
      await as(app, frontend).get('/api/subscriptions').expect(403)
      const body = (attributes: Record<string, unknown>, supplierId = supplier.id) => ({
        data: {
          type: 'subscriptions',
          attributes,
          relationships: { supplier: { data: { type: 'suppliers', id: supplierId } } },
        },
      })
      const post = (b: object) => as(app, admin).post('/api/subscriptions').set('Idempotency-Key', key()).send(b)
      const noSecret = await post(body({ callback_url: 'https://x.example.test' })).expect(422)
      expect(noSecret.body.errors[0].source.pointer).to.equal('/data/attributes/secret')
      const nothing = await post(body({})).expect(422)
      expect(nothing.body.errors[0].source.pointer).to.equal('/data/attributes/callback_url')
      await post(body({ callback_url: 'ftp://x.example.test', secret: SECRET })).expect(422)
      await post(body({ email_address: 'not an address' })).expect(422)
      await post(body({ email_address: 'a@b.test' }, crypto.randomUUID())).expect(404)
      expect(await services.db('subscriptions').where({ supplier_id: supplier.id }).pluck('id')).to.deep.equal([id])
    })
  })

  describe('webhooks', () => {
    it('posts the reference body, signed with the secret, with its headers and basic auth, once', async () => {
      const receiver = await startReceiver()
      try {
        const { move } = await subscribedSupplier(receiver.url, { username: 'pecs', password: 'pw' })
        const moveId = await move()
        await eventually(() => expect(receiver.received).to.have.length(1))
        const [got] = receiver.received
        expect(got!.headers['pecs-signature']).to.equal(signatureOf(SECRET, got!.raw))
        expect(got!.headers['content-type']).to.equal('application/vnd.api+json')
        expect(got!.headers['user-agent']).to.equal('pecs-webhooks/v1')
        expect(got!.headers['pecs-notification-id']).to.equal(got!.body.data.id)
        expect(got!.headers.authorization).to.equal(`Basic ${Buffer.from('pecs:pw').toString('base64')}`)
        expect(got!.body.data.type).to.equal('notifications')
        expect(got!.body.data.attributes.event_type).to.equal('create_move')
        expect(Number.isNaN(Date.parse(got!.body.data.attributes.timestamp))).to.equal(false)
        expect(got!.body.data.relationships.move).to.deep.equal({
          data: { id: moveId, type: 'moves' },
          links: { self: `https://moves.example.test/api/moves/${moveId}` },
        })
        await eventually(async () => {
          const [n] = await notifications(moveId)
          expect(n!.attributes).to.include({ status: 'delivered', event_type: 'create_move', channel: 'webhook' })
          expect(n!.attributes.attempts).to.have.length(1)
          expect((n!.attributes.attempts as { response_status: number }[])[0]!.response_status).to.equal(200)
        })
        await sleep(1500)
        expect(receiver.received).to.have.length(1)
      } finally {
        await receiver.close()
      }
    })

    it('delivers the notifications of one move in the order of its changes', async () => {
      const receiver = await startReceiver()
      try {
        const { move, client } = await subscribedSupplier(receiver.url)
        const moveId = await move()
        await as(app, client)
          .patch(`/api/moves/${moveId}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'moves', id: moveId, attributes: { additional_information: 'late' } } })
          .expect(200)
        await sendEvent(app, client, moveId, 'accept').expect(204)
        await as(app, client)
          .post(`/api/moves/${moveId}/cancel`)
          .set('Idempotency-Key', key())
          .send({
            data: {
              type: 'cancels',
              attributes: {
                timestamp: '2031-01-01T10:00:00Z',
                cancellation_reason: 'other',
                cancellation_reason_comment: 'Requested in error',
              },
            },
          })
          .expect(204)
        await eventually(() => expect(receiver.received).to.have.length(4))
        expect(receiver.received.map(r => r.body.data.attributes.event_type)).to.deep.equal([
          'create_move',
          'update_move',
          'update_move_status',
          'update_move_status',
        ])
        const ids = (await notifications(moveId)).map(n => n.id)
        expect(receiver.received.map(r => r.body.data.id)).to.deep.equal(ids)
      } finally {
        await receiver.close()
      }
    })

    it('retries a receiver that fails twice, and delivers exactly once more after it recovers', async () => {
      const receiver = await startReceiver(n => (n <= 2 ? 503 : 200))
      try {
        const { move } = await subscribedSupplier(receiver.url)
        const moveId = await move()
        await eventually(async () => {
          const [n] = await notifications(moveId)
          expect(n!.attributes.status).to.equal('delivered')
        })
        await sleep(1500)
        expect(receiver.received).to.have.length(3)
        expect(new Set(receiver.received.map(r => r.body.data.id)).size).to.equal(1)
        const [n] = await notifications(moveId)
        const attempts = n!.attributes.attempts as { response_status: number; error: string | null }[]
        expect(attempts.map(a => a.response_status)).to.deep.equal([503, 503, 200])
        expect(attempts.map(a => a.error)).to.deep.equal(['HTTP 503', 'HTTP 503', null])
      } finally {
        await receiver.close()
      }
    })

    it('times out a receiver that never answers, dead-letters it after the retries, and an operator retry delivers it', async () => {
      const receiver = await startReceiver(() => 'hang')
      try {
        const { move } = await subscribedSupplier(receiver.url)
        const moveId = await move()
        const dead = await eventually(async () => {
          const [n] = await notifications(moveId)
          expect(n!.attributes.status).to.equal('dead_lettered')
          return n!
        })
        const attempts = dead.attributes.attempts as { response_status: null; error: string; duration_ms: number }[]
        expect(attempts).to.have.length(3)
        for (const attempt of attempts) {
          expect(attempt.response_status).to.equal(null)
          expect(attempt.error).to.equal('no answer within 400 ms')
          expect(attempt.duration_ms).to.be.at.least(350).and.below(5000)
        }
        await eventually(async () => {
          const letters = await services.queue.deadLetters(NOTIFICATIONS_QUEUE, 1000)
          expect(letters.map(l => (l.data as { notificationId: string }).notificationId)).to.include(dead.id)
        })

        receiver.behave(() => 200)
        const retried = await as(app, admin)
          .post(`/api/notifications/${dead.id}/retry`)
          .set('Idempotency-Key', key())
          .expect(200)
        expect(retried.body.data.attributes.status).to.equal('pending')
        await eventually(async () => {
          const [n] = await notifications(moveId)
          expect(n!.attributes.status).to.equal('delivered')
        })
        expect(receiver.received.at(-1)!.body.data.id).to.equal(dead.id)
        const again = await as(app, admin)
          .post(`/api/notifications/${dead.id}/retry`)
          .set('Idempotency-Key', key())
          .expect(409)
        expect(again.body.errors[0].meta).to.deep.equal({ status: 'delivered', event: 'retry' })
        await as(app, admin)
          .post(`/api/notifications/${crypto.randomUUID()}/retry`)
          .set('Idempotency-Key', key())
          .expect(404)
      } finally {
        await receiver.close()
      }
    })

    it('holds a paused subscription’s notifications and delivers them in order once it is enabled again', async () => {
      const receiver = await startReceiver()
      try {
        const { move, subscriptionId, client } = await subscribedSupplier(receiver.url)
        const pause = (enabled: boolean) =>
          as(app, admin)
            .patch(`/api/subscriptions/${subscriptionId}`)
            .set('Idempotency-Key', key())
            .send({ data: { type: 'subscriptions', id: subscriptionId, attributes: { enabled } } })
            .expect(200)
        await pause(false)
        const moveId = await move()
        await sendEvent(app, client, moveId, 'accept').expect(204)
        await sleep(2000)
        expect(receiver.received).to.have.length(0)
        expect((await notifications(moveId)).map(n => n.attributes.status)).to.deep.equal(['pending', 'pending'])
        await pause(true)
        await eventually(() => expect(receiver.received).to.have.length(2))
        expect(receiver.received.map(r => r.body.data.attributes.event_type)).to.deep.equal([
          'create_move',
          'update_move_status',
        ])
      } finally {
        await receiver.close()
      }
    })
  })

  describe('what triggers a notification', () => {
    it('sends nothing for a proposed move, nor for its cancellation', async () => {
      const receiver = await startReceiver()
      try {
        const { supplier } = await subscribedSupplier(receiver.url)
        const moveId = crypto.randomUUID()
        await services.db('moves').insert({
          id: moveId,
          reference: moveReference(),
          status: 'proposed',
          move_type: 'prison_transfer',
          date: '2031-06-01',
          from_location_id: supplier.locationId,
          to_location_id: await makeLocation(services.db, []),
          supplier_id: supplier.id,
        })
        expect(
          await services.db.transaction(tx =>
            services.outbox.notifyMoveChanged(tx, { moveId, eventType: 'create_move', at: new Date() }),
          ),
        ).to.deep.equal([])
        await as(app, admin)
          .patch(`/api/moves/${moveId}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'moves', id: moveId, attributes: { additional_information: 'x' } } })
          .expect(200)
        await as(app, admin)
          .post(`/api/moves/${moveId}/cancel`)
          .set('Idempotency-Key', key())
          .send({
            data: {
              type: 'cancels',
              attributes: {
                timestamp: '2031-01-01T10:00:00Z',
                cancellation_reason: 'other',
                cancellation_reason_comment: 'Requested in error',
              },
            },
          })
          .expect(204)
        expect(await notifications(moveId)).to.deep.equal([])
        await sleep(1000)
        expect(receiver.received).to.have.length(0)
      } finally {
        await receiver.close()
      }
    })

    it('tells the suppliers of a cross-supplier destination, and on a redirect both the old and the new', async () => {
      const own = await startReceiver()
      const oldSide = await startReceiver()
      const newSide = await startReceiver()
      try {
        const mover = await subscribedSupplier(own.url)
        const before = await subscribedSupplier(oldSide.url)
        const after = await subscribedSupplier(newSide.url)
        const moveId = await mover.move(before.supplier.locationId)
        await eventually(() => expect(oldSide.received).to.have.length(1))
        expect(oldSide.received[0]!.body.data.attributes.event_type).to.equal('cross_supplier_move_add')
        await eventually(() => expect(own.received).to.have.length(1))
        expect(own.received[0]!.body.data.attributes.event_type).to.equal('create_move')

        // The redirect route is another issue's: change the destination directly, then notify as it will.
        const both = await makeLocation(services.db, [before.supplier.id, after.supplier.id])
        await services.db.transaction(async tx => {
          await tx('moves').where({ id: moveId }).update({ to_location_id: after.supplier.locationId })
          await services.outbox.notifyMoveRedirected(tx, {
            moveId,
            previousToLocationId: before.supplier.locationId,
            at: new Date(),
          })
        })
        await eventually(() => expect(oldSide.received).to.have.length(2))
        await eventually(() => expect(newSide.received).to.have.length(1))
        await eventually(() => expect(own.received).to.have.length(2))
        expect(oldSide.received[1]!.body.data.attributes.event_type).to.equal('cross_supplier_move_remove')
        expect(newSide.received[0]!.body.data.attributes.event_type).to.equal('cross_supplier_move_add')
        expect(own.received[1]!.body.data.attributes.event_type).to.equal('update_move')

        await services.db.transaction(async tx => {
          await tx('moves').where({ id: moveId }).update({ to_location_id: both })
          await services.outbox.notifyMoveRedirected(tx, {
            moveId,
            previousToLocationId: after.supplier.locationId,
            at: new Date(),
          })
        })
        await eventually(() => expect(oldSide.received).to.have.length(3))
        await eventually(() => expect(newSide.received).to.have.length(2))
        expect(oldSide.received[2]!.body.data.attributes.event_type).to.equal('cross_supplier_move_add')
        expect(newSide.received[1]!.body.data.attributes.event_type).to.equal('cross_supplier_move_update')

        await sendEvent(app, mover.client, moveId, 'accept').expect(204)
        await eventually(() => expect(newSide.received).to.have.length(3))
        expect(newSide.received[2]!.body.data.attributes.event_type).to.equal('cross_supplier_move_update_status')
      } finally {
        await Promise.all([own.close(), oldSide.close(), newSide.close()])
      }
    })

    it('writes nothing when the change rolls back', async () => {
      const receiver = await startReceiver()
      try {
        const { move } = await subscribedSupplier(receiver.url)
        const moveId = await move()
        await eventually(() => expect(receiver.received).to.have.length(1))
        await services.db
          .transaction(async tx => {
            await services.outbox.notifyMoveChanged(tx, { moveId, eventType: 'update_move', at: new Date() })
            throw new Error('roll back')
          })
          .catch(() => undefined)
        await sleep(1500)
        expect(receiver.received).to.have.length(1)
        expect(await notifications(moveId)).to.have.length(1)
      } finally {
        await receiver.close()
      }
    })
  })

  describe('email', () => {
    it('emails the same events over SMTP to a subscription’s address', async () => {
      const supplier = await makeSupplier(services.db)
      const address = `${supplier.key}@supplier.example.test`
      await subscribe(supplier.id, { email_address: address })
      const client = await testClient(services, { supplier: supplier.key })
      const { moveIds } = await makeAllocation(
        app,
        client,
        { moves_count: 1 },
        {
          from_location: { data: { type: 'locations', id: supplier.locationId } },
          to_location: { data: { type: 'locations', id: await makeLocation(services.db, []) } },
        },
      )
      await sendEvent(app, client, moveIds[0]!, 'accept').expect(204)
      const reference = (await services.db('moves').where({ id: moveIds[0] }).first('reference')).reference
      const mine = () => mails.filter(m => m.to.includes(address))
      await eventually(() => expect(mine()).to.have.length(2))
      expect(mine()[0]!.raw).to.include(`Subject: Move ${reference}: create_move`)
      expect(mine()[1]!.raw).to.include(`Subject: Move ${reference}: update_move_status`)
      expect(mine()[0]!.raw).to.include(`https://moves.example.test/api/moves/${moveIds[0]}`)
      const listed = await notifications(moveIds[0]!)
      await eventually(async () =>
        expect((await notifications(moveIds[0]!)).map(n => n.attributes.status)).to.deep.equal([
          'delivered',
          'delivered',
        ]),
      )
      expect(listed.map(n => n.attributes.channel)).to.deep.equal(['email', 'email'])
    })
  })
})
