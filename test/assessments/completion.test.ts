import { expect } from 'chai'
import { as } from '../support/app'
import { answerAll, anAssessment, responsesOf } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: completion', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a person escort record is created, then it has a response per question, none answered, every section not started', async () => {
    const { id, body } = await anAssessment(world)
    expect(body.data.attributes).to.include({ status: 'not_started', version: '1.0.0', editable: true })
    expect(body.data.meta.section_progress.map((s: { status: string }) => s.status)).to.deep.equal([
      'not_started',
      'not_started',
      'not_started',
      'not_started',
    ])
    const responses = await responsesOf(world, id)
    expect(responses.length).to.be.greaterThan(40)
    expect(responses.every(r => !r.responded && r.value === null)).to.equal(true)
  })

  it('when every shown response is answered section by section, then it is completed, with a PerCompletion on the move’s timeline', async () => {
    const { id, moveId } = await anAssessment(world)
    expect(await answerAll(world, id)).to.equal('completed')
    const res = await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)
    expect(res.body.data.attributes.completed_at).to.be.a('string')
    expect(res.body.data.meta.section_progress.every((s: { status: string }) => s.status === 'completed')).to.equal(
      true,
    )
    const events = await world.services.db('move_events').where({ move_id: moveId }).pluck('event_type')
    expect(events.filter(e => e === 'PerCompletion')).to.have.length(1)
  })
})
