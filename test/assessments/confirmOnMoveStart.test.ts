import { expect } from 'chai'
import { as } from '../support/app'
import { moveEvent } from '../support/builders'
import { answerAll, anAssessment } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: a move that starts confirms its completed person escort record', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  const statusOf = async (id: string) =>
    (await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)).body.data.attributes

  it('when the move starts with the record completed, then the record is confirmed with a PerConfirmation', async () => {
    const { id, moveId } = await anAssessment(world)
    await answerAll(world, id)
    await moveEvent(world, world.geoamey, moveId, 'accept').expect(204)
    await moveEvent(world, world.geoamey, moveId, 'start').expect(204)
    const attributes = await statusOf(id)
    expect(attributes.status).to.equal('confirmed')
    expect(attributes.confirmed_at).to.be.a('string')
    const types = await world.services
      .db('move_events')
      .where({ move_id: moveId, eventable_type: 'person_escort_records' })
      .orderBy('id')
      .pluck('event_type')
    expect(types).to.deep.equal(['PerCompletion', 'PerConfirmation'])
  })

  it('when the move starts with the record in progress, then the record is left as it is', async () => {
    const { id, moveId } = await anAssessment(world)
    await moveEvent(world, world.geoamey, moveId, 'accept').expect(204)
    await moveEvent(world, world.geoamey, moveId, 'start').expect(204)
    expect((await statusOf(id)).status).to.equal('not_started')
  })
})
