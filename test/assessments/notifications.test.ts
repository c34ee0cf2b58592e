import { expect } from 'chai'
import { createSubscription } from '../../lib/notifications/subscriptions'
import { subscriptionKey } from '../../lib/notifications/secrets'
import { notificationBody } from '../../lib/notifications/delivery'
import { moveEvent, patch } from '../support/builders'
import { answerAll, anAssessment, confirmBody, responseBody, responsesOf, responseTo } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: notifications to the move’s supplier', () => {
  let world: World
  let subscriptionId: string
  before(async () => {
    world = await testWorld()
    const { services } = world
    const supplier = await services.db('suppliers').where({ key: 'geoamey' }).first('id')
    const subscription = await services.db.transaction(tx =>
      createSubscription(
        tx,
        subscriptionKey(services.config),
        supplier.id,
        { callback_url: 'http://127.0.0.1:9/webhook', secret: 'assessment-test-secret' },
        services.clock.now(),
      ),
    )
    subscriptionId = subscription.id
  })

  // Nothing here starts a worker; paused, the rows written stay pending and reach no one.
  after(async () => world.services.db('subscriptions').where({ id: subscriptionId }).update({ enabled: false }))

  const sent = async (moveId: string) =>
    world.services
      .db('notifications')
      .where({ subscription_id: subscriptionId, move_id: moveId, channel: 'webhook' })
      .whereNotNull('assessment_id')
      .orderBy('sequence')
      .pluck('event_type')

  it('when a record is completed, amended and handed over, then the supplier is told each, the webhook linking the record', async () => {
    const { id, moveId } = await anAssessment(world, { move: { from: 'bsi' } })
    await answerAll(world, id)
    const cash = responseTo(await responsesOf(world, id), 'valuables')
    await patch(world, world.frontend, `/api/framework_responses/${cash.id}`)
      .send(responseBody(['Watch']))
      .expect(200)
    await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records'))
      .expect(200)
    expect(await sent(moveId)).to.deep.equal([
      'complete_person_escort_record',
      'amend_person_escort_record',
      'handover_person_escort_record',
    ])
    const row = await world.services
      .db('notifications')
      .where({ subscription_id: subscriptionId, move_id: moveId, event_type: 'handover_person_escort_record' })
      .first('id', 'event_type', 'event_at', 'move_id', 'assessment_id')
    const body = JSON.parse(notificationBody(row, 'https://api.example'))
    expect(body.data.relationships.person_escort_record).to.deep.equal({
      data: { id, type: 'person_escort_records' },
      links: { self: `https://api.example/api/person_escort_records/${id}` },
    })
  })

  it('when the move starts with the record completed, then the supplier is told it is confirmed', async () => {
    const { id, moveId } = await anAssessment(world, { move: { from: 'bsi' } })
    await answerAll(world, id)
    await moveEvent(world, world.geoamey, moveId, 'accept').expect(204)
    await moveEvent(world, world.geoamey, moveId, 'start').expect(204)
    expect(await sent(moveId)).to.deep.equal(['complete_person_escort_record', 'confirm_person_escort_record'])
  })
})
