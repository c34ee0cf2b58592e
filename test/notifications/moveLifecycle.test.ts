import { expect } from 'chai'
import type { Express } from 'express'
import { createSubscription } from '../../lib/notifications/subscriptions'
import { subscriptionKey } from '../../lib/notifications/secrets'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { location, aMove, moveEvent } from '../support/builders'
import { locationRef } from '../support/bodies'

describe('Supplier notifications from the move lifecycle routes', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let geoamey: TestClient
  const supplierIds: Record<string, string> = {}
  const subscriptionIds: string[] = []

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend, geoamey } = world)
    for (const key of ['geoamey', 'serco']) {
      supplierIds[key] = (await services.db('suppliers').where({ key }).first('id')).id
      const subscription = await services.db.transaction(tx =>
        createSubscription(
          tx,
          subscriptionKey(services.config),
          supplierIds[key]!,
          { callback_url: 'http://127.0.0.1:9/webhook', secret: 'lifecycle-test-secret' },
          services.clock.now(),
        ),
      )
      subscriptionIds.push(subscription.id)
    }
  })

  // Nothing here starts a worker; paused, the rows written stay pending and reach no one.
  after(async () => services.db('subscriptions').whereIn('id', subscriptionIds).update({ enabled: false }))

  const outbox = async (moveId: string) =>
    (
      await services
        .db('notifications as n')
        .join('subscriptions as s', 's.id', 'n.subscription_id')
        .whereIn('n.subscription_id', subscriptionIds)
        .andWhere('n.move_id', moveId)
        .orderBy('n.created_at')
        .select('s.supplier_id', 'n.event_type')
    ).map(r => `${Object.keys(supplierIds).find(k => supplierIds[k] === r.supplier_id)}:${r.event_type}`)

  it('when a move is proposed, then no notification is written; when it is approved, create_move', async () => {
    const move = await aMove(world, { status: 'proposed', from: 'bsi', to: 'iwi' })
    expect(await outbox(move.id)).to.deep.equal([])
    await moveEvent(world, frontend, move.id, 'approve', { date: move.date }).expect(204)
    expect(await outbox(move.id)).to.deep.equal(['geoamey:create_move'])
  })

  it('when a move is redirected into the other supplier’s area, then both suppliers are told', async () => {
    const move = await aMove(world, { from: 'bsi', to: 'iwi' })
    expect(await outbox(move.id)).to.deep.equal(['geoamey:create_move'])
    await moveEvent(
      world,
      geoamey,
      move.id,
      'redirects',
      { reason: 'no_space' },
      {
        to_location: locationRef(await location(world, 'lei')),
      },
    ).expect(204)
    expect((await outbox(move.id)).sort()).to.deep.equal(
      ['geoamey:create_move', 'geoamey:update_move', 'serco:cross_supplier_move_add'].sort(),
    )
  })

  it('when an overnight lodging is planned, changed or cancelled, then the move’s supplier is told', async () => {
    const move = await aMove(world, { from: 'bsi', to: 'iwi' })
    const write = (method: 'post' | 'patch', path: string, data: object) =>
      as(app, frontend)
        [method](`/api/moves/${move.id}/lodgings${path}`)
        .set('Idempotency-Key', crypto.randomUUID())
        .send({ data })
    // A refused write notifies no one.
    await write('post', '', {
      type: 'lodgings',
      attributes: { start_date: move.date, end_date: move.date },
      relationships: { location: locationRef(await location(world, 'brmcc')) },
    }).expect(422)
    const lodging = await write('post', '', {
      type: 'lodgings',
      attributes: { start_date: move.date, end_date: '2099-12-31' },
      relationships: { location: locationRef(await location(world, 'brmcc')) },
    }).expect(201)
    const id = lodging.body.data.id as string
    await write('patch', `/${id}`, { type: 'lodgings', id, attributes: { end_date: '2099-12-30' } }).expect(200)
    await write('post', `/${id}/cancel`, {
      type: 'cancels',
      attributes: { timestamp: '2031-01-01T10:00:00Z', cancellation_reason: 'made_in_error' },
    }).expect(204)
    expect(await outbox(move.id)).to.deep.equal([
      'geoamey:create_move',
      'geoamey:update_move',
      'geoamey:update_move',
      'geoamey:update_move',
    ])
  })
})
