import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { subscriptionKey } from '../../lib/notifications/secrets'
import { createSubscription } from '../../lib/notifications/subscriptions'
import { cancelBody, eventBody, moveUpdateBody, redirectBody, rejectBody } from '../support/bodies'
import {
  aJourney,
  aLodging,
  aMove,
  aMoveUnderWay,
  anAllocation,
  assignProfile,
  aProfile,
  location,
  moveEvent,
  patch,
  post,
  uniqueDate,
} from '../support/builders'
import { testWorld, type World } from '../support/world'

/**
 * Whatever the route, a change to a move leaves its timeline event and queues the notifications
 * for the subscribers it concerns (issue #13, part 3). Moves run from Brinsford (geoamey's) to the
 * Isle of Wight unless a case says otherwise; geoamey and serco each have a webhook subscription.
 */
describe('Every change to a move is recorded and announced, whatever the route', () => {
  let world: World
  const subscriptionIds: Record<string, string> = {}

  before(async () => {
    world = await testWorld()
    for (const key of ['geoamey', 'serco']) {
      const supplier = await world.services.db('suppliers').where({ key }).first('id')
      const subscription = await world.services.db.transaction(tx =>
        createSubscription(
          tx,
          subscriptionKey(world.services.config),
          supplier.id as string,
          { callback_url: 'http://127.0.0.1:9/webhook', secret: 'move-change-test-secret' },
          world.services.clock.now(),
        ),
      )
      subscriptionIds[key] = subscription.id
    }
  })

  // Nothing here starts a worker; paused, the rows written stay pending and reach no one.
  after(async () =>
    world.services.db('subscriptions').whereIn('id', Object.values(subscriptionIds)).update({ enabled: false }),
  )

  /** What `act` added to the move's timeline (event types, oldest first) and to its outbox (`supplier:event_type`). */
  async function recorded(moveId: string, act: () => Promise<unknown>) {
    const { db } = world.services
    const last = await db('move_events').where({ move_id: moveId }).max('id as id').first()
    const before = await db('notifications').where({ move_id: moveId }).pluck('id')
    await act()
    const events = await db('move_events')
      .where({ move_id: moveId })
      .where('id', '>', Number(last?.id ?? 0))
      .orderBy('id')
      .select('event_type', 'details')
    const notifications = await db('notifications as n')
      .where('n.move_id', moveId)
      .whereIn('n.subscription_id', Object.values(subscriptionIds))
      .whereNotIn('n.id', before)
      .orderBy('n.sequence')
      .select('n.subscription_id', 'n.event_type')
    const supplier = (id: string) => Object.keys(subscriptionIds).find(k => subscriptionIds[k] === id)
    return {
      events: events.map(e => e.event_type as string),
      details: events.map(e => e.details as Record<string, unknown>),
      notifications: notifications.map(n => `${supplier(n.subscription_id)}:${n.event_type}`),
    }
  }

  it('when a move PATCH changes the date, then MoveDateChanged records old and new, and its supplier gets update_move', async () => {
    const move = await aMove(world)
    const date = addDays(move.date, 1)
    const result = await recorded(move.id, () =>
      patch(world, world.frontend, `/api/moves/${move.id}`).send(moveUpdateBody(move.id, { date })).expect(200),
    )
    expect(result.events).to.deep.equal(['MoveDateChanged'])
    expect(result.details[0]).to.include({ previous_date: move.date, date })
    expect(result.notifications).to.deep.equal(['geoamey:update_move'])
  })

  it('when a move PATCH changes other attributes, then one MoveUpdate lists each with its old value, and update_move is sent', async () => {
    const move = await aMove(world)
    const profileId = await aProfile(world)
    const result = await recorded(move.id, () =>
      patch(world, world.frontend, `/api/moves/${move.id}`)
        .send(
          moveUpdateBody(
            move.id,
            { additional_information: 'wheelchair' },
            { profile: { data: { type: 'profiles', id: profileId } } },
          ),
        )
        .expect(200),
    )
    expect(result.events).to.deep.equal(['MoveUpdate'])
    expect(result.details[0]).to.include({
      old_additional_information: null,
      additional_information: 'wheelchair',
      old_profile_id: move.profileId,
      profile_id: profileId,
    })
    expect(result.notifications).to.deep.equal(['geoamey:update_move'])
  })

  it('when a move PATCH changes nothing, then nothing is recorded and nobody is told', async () => {
    const move = await aMove(world)
    const result = await recorded(move.id, () =>
      patch(world, world.frontend, `/api/moves/${move.id}`)
        .send(moveUpdateBody(move.id, { date: move.date, additional_information: null }))
        .expect(200),
    )
    expect(result).to.deep.include({ events: [], notifications: [] })
  })

  it('when an allocation is redated, then each of its moves records MoveDateChanged and its supplier gets update_move', async () => {
    const allocation = await anAllocation(world)
    const date = addDays(allocation.date, 2)
    const [first, second] = allocation.moveIds as [string, string]
    let secondResult: Awaited<ReturnType<typeof recorded>> | undefined
    const firstResult = await recorded(first, async () => {
      secondResult = await recorded(second, () =>
        patch(world, world.frontend, `/api/allocations/${allocation.id}`)
          .send({
            data: { type: 'allocations', id: allocation.id, attributes: { date, date_changed_reason: 'other' } },
          })
          .expect(200),
      )
    })
    for (const result of [firstResult, secondResult!]) {
      expect(result.events).to.deep.equal(['MoveDateChanged'])
      expect(result.details[0]).to.include({ previous_date: allocation.date, date, date_changed_reason: 'other' })
      expect(result.notifications).to.deep.equal(['geoamey:update_move'])
    }
  })

  it('when an allocation is cancelled, then each live move records MoveCancel and its supplier gets update_move_status', async () => {
    const allocation = await anAllocation(world)
    const [first] = allocation.moveIds as [string, string]
    const result = await recorded(first, () =>
      post(world, world.frontend, `/api/allocations/${allocation.id}/cancel`).send(cancelBody()).expect(204),
    )
    expect(result.events).to.deep.equal(['MoveCancel'])
    expect(result.details[0]).to.include({ cancellation_reason: 'other' })
    expect(result.notifications).to.deep.equal(['geoamey:update_move_status'])
  })

  const transitions: {
    event: string
    body?: () => object
    from: 'requested' | 'booked' | 'in_transit'
    type: string
  }[] = [
    { event: 'accept', from: 'requested', type: 'MoveAccept' },
    { event: 'start', from: 'booked', type: 'MoveStart' },
    { event: 'complete', from: 'in_transit', type: 'MoveComplete' },
    { event: 'cancel', from: 'booked', type: 'MoveCancel', body: () => cancelBody() },
    { event: 'reject', from: 'requested', type: 'MoveReject', body: () => rejectBody() },
  ]
  for (const { event, from, type, body } of transitions) {
    it(`when ${from === 'in_transit' ? 'an' : 'a'} ${from} move is sent ${event}, then ${type} is recorded and its supplier gets update_move_status`, async () => {
      const move = await aMove(world)
      if (from !== 'requested') await moveEvent(world, world.frontend, move.id, 'accept').expect(204)
      if (from === 'in_transit') await moveEvent(world, world.frontend, move.id, 'start').expect(204)
      const result = await recorded(move.id, () =>
        post(world, world.frontend, `/api/moves/${move.id}/${event}`)
          .send(body?.() ?? eventBody(event))
          .expect(204),
      )
      expect(result.events).to.deep.equal([type])
      expect(result.notifications).to.deep.equal(['geoamey:update_move_status'])
    })
  }

  it('when a proposed move is approved, then MoveApprove is recorded and its supplier first hears of it (create_move)', async () => {
    const move = await aMove(world, { status: 'proposed' })
    const result = await recorded(move.id, () =>
      moveEvent(world, world.frontend, move.id, 'approve', { date: move.date }).expect(204),
    )
    expect(result.events).to.deep.equal(['MoveApprove'])
    expect(result.notifications).to.deep.equal(['geoamey:create_move'])
  })

  it('when a booked move is locked out, then MoveLockout is recorded and its supplier gets update_move', async () => {
    const move = await aMove(world)
    await moveEvent(world, world.frontend, move.id, 'accept').expect(204)
    const result = await recorded(move.id, () =>
      moveEvent(world, world.frontend, move.id, 'lockouts', { reason: 'no_space' }).expect(204),
    )
    expect(result.events).to.deep.equal(['MoveLockout'])
    expect(result.notifications).to.deep.equal(['geoamey:update_move'])
  })

  it('when a move is redirected into serco’s area, then MoveRedirect is recorded, geoamey gets update_move and serco cross_supplier_move_add', async () => {
    const move = await aMove(world)
    const leeds = await location(world, 'lei')
    const redirected = await recorded(move.id, () =>
      post(world, world.frontend, `/api/moves/${move.id}/redirects`).send(redirectBody(leeds)).expect(204),
    )
    expect(redirected.events).to.deep.equal(['MoveRedirect'])
    expect(redirected.notifications).to.have.members(['geoamey:update_move', 'serco:cross_supplier_move_add'])
  })

  it('when a stay is planned, changed, started, completed or called off, then each step is recorded and update_move sent', async () => {
    const move = await aMoveUnderWay(world)
    const lodgings = `/api/moves/${move.id}/lodgings`
    let lodgingId = ''
    const steps: [string, () => Promise<unknown>][] = [
      ['LodgingCreate', async () => (lodgingId = (await aLodging(world, move)).id)],
      [
        'LodgingUpdate',
        () =>
          patch(world, world.frontend, `${lodgings}/${lodgingId}`)
            .send({ data: { type: 'lodgings', id: lodgingId, attributes: { end_date: addDays(move.date, 2) } } })
            .expect(200),
      ],
      [
        'MoveLodgingStart',
        () => post(world, world.frontend, `${lodgings}/${lodgingId}/start`).send(eventBody('start')).expect(204),
      ],
      [
        'MoveLodgingEnd',
        () => post(world, world.frontend, `${lodgings}/${lodgingId}/complete`).send(eventBody('complete')).expect(204),
      ],
    ]
    for (const [type, act] of steps) {
      const result = await recorded(move.id, act)
      expect(result.events, type).to.deep.equal([type])
      expect(result.notifications, type).to.deep.equal(['geoamey:update_move'])
    }
    const planned = await aLodging(world, move, { start: addDays(move.date, 3) })
    const cancelled = await recorded(move.id, () =>
      post(world, world.frontend, `${lodgings}/${planned.id}/cancel`).send(cancelBody()).expect(204),
    )
    expect(cancelled.events).to.deep.equal(['LodgingCancel'])
    expect(cancelled.notifications).to.deep.equal(['geoamey:update_move'])
  })

  it('when a journey is made, changed or started, then each step is recorded and update_move sent', async () => {
    const move = await aMove(world)
    let journeyId = ''
    const made = await recorded(move.id, async () => (journeyId = (await aJourney(world, move.id)).id))
    const changed = await recorded(move.id, () =>
      patch(world, world.frontend, `/api/moves/${move.id}/journeys/${journeyId}`)
        .send({ data: { type: 'journeys', id: journeyId, attributes: { billable: false } } })
        .expect(200),
    )
    const started = await recorded(move.id, () =>
      post(world, world.frontend, `/api/moves/${move.id}/journeys/${journeyId}/start`)
        .send(eventBody('start'))
        .expect(204),
    )
    expect([made.events, changed.events, started.events]).to.deep.equal([
      ['JourneyCreate'],
      ['JourneyUpdate'],
      ['JourneyStart'],
    ])
    expect(changed.details[0]).to.include({ journey_id: journeyId, old_billable: true, billable: false })
    for (const result of [made, changed, started]) expect(result.notifications).to.deep.equal(['geoamey:update_move'])
  })

  it('when a move PATCH assigns the last place of an allocation, then MoveUpdate is recorded and the allocation fills', async () => {
    const allocation = await anAllocation(world, { date: uniqueDate(), attributes: { moves_count: 1 } })
    const [moveId] = allocation.moveIds as [string]
    const filled = await recorded(moveId, async () =>
      assignProfile(world, world.frontend, moveId, await aProfile(world)).expect(200),
    )
    expect(filled.events).to.deep.equal(['MoveUpdate'])
    expect(filled.notifications).to.deep.equal(['geoamey:update_move'])
    const row = await world.services.db('allocations').where({ id: allocation.id }).first('status')
    expect(row.status).to.equal('filled')
  })
})
