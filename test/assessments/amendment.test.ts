import { expect } from 'chai'
import { as } from '../support/app'
import { patch } from '../support/builders'
import { answerAll, anAssessment, responseBody, responsesOf, responseTo } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: amendment', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a completed record’s answer changes, then it stays completed, amended_at is set and PerUpdated names the section', async () => {
    const { id, moveId } = await anAssessment(world)
    expect(await answerAll(world, id)).to.equal('completed')
    const before = (await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)).body.data
    expect(before.attributes.amended_at).to.equal(null)

    const cash = responseTo(await responsesOf(world, id), 'valuables')
    await patch(world, world.frontend, `/api/framework_responses/${cash.id}`)
      .send(responseBody(['Watch']))
      .expect(200)

    const after = (await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)).body.data
    expect(after.attributes.status).to.equal('completed')
    expect(after.attributes.amended_at).to.be.a('string')
    expect(after.attributes.completed_at).to.equal(before.attributes.completed_at)
    const events = await world.services
      .db('move_events')
      .where({ move_id: moveId, eventable_type: 'person_escort_records', eventable_id: id })
      .orderBy('id')
      .select('event_type', 'details')
    expect(events.map(e => e.event_type)).to.deep.equal(['PerCompletion', 'PerUpdated'])
    expect(events[1].details.section).to.deep.equal(['property-information'])
  })

  it('when the same answer is given again, then nothing is amended', async () => {
    const { id, moveId } = await anAssessment(world)
    await answerAll(world, id)
    const cash = responseTo(await responsesOf(world, id), 'cash')
    await patch(world, world.frontend, `/api/framework_responses/${cash.id}`).send(responseBody(cash.value)).expect(200)
    const types = await world.services.db('move_events').where({ move_id: moveId }).pluck('event_type')
    expect(types).not.to.include('PerUpdated')
  })
})
