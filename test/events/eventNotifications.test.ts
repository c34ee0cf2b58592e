import { expect } from 'chai'
import { createSubscription } from '../../lib/notifications/subscriptions'
import { subscriptionKey } from '../../lib/notifications/secrets'
import { aMove } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** Events the frontend posts tell the move's suppliers (create_event, by webhook); a supplier's own do not (issue #14). */
describe("Events: the frontend's events notify the move's suppliers", () => {
  let world: World
  let subscriptionId: string

  before(async () => {
    world = await testWorld()
    const { services } = world
    const geoamey = (await services.db('suppliers').where({ key: 'geoamey' }).first('id')).id as string
    const subscription = await services.db.transaction(tx =>
      createSubscription(
        tx,
        subscriptionKey(services.config),
        geoamey,
        {
          callback_url: 'http://127.0.0.1:9/webhook',
          secret: 'events-test-secret',
          email_address: 'ops@geoamey.example.test',
        },
        services.clock.now(),
      ),
    )
    subscriptionId = subscription.id
  })

  // Nothing here starts a worker; disabled, the rows written stay pending and reach no one.
  after(async () => world.services.db('subscriptions').where({ id: subscriptionId }).update({ enabled: false }))

  const told = async (moveId: string) =>
    (
      await world.services
        .db('notifications')
        .where({ subscription_id: subscriptionId, move_id: moveId })
        .orderBy('created_at')
        .select('event_type', 'channel')
    ).map(n => `${n.event_type}:${n.channel}`)

  it('when the frontend posts an event, then the supplier gets create_event by webhook only; when the supplier posts one, nothing', async () => {
    const move = await aMove(world)
    const before = await told(move.id)
    await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id)).expect(201)
    expect(await told(move.id)).to.deep.equal(before)
    await postEvent(world, world.frontend, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id)).expect(201)
    expect(await told(move.id)).to.deep.equal([...before, 'create_event:webhook'])
  })
})
