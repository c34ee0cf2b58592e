import { expect } from 'chai'
import { as } from '../support/app'
import { answerAll, anAssessment } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: completion', () => {
  let world: World
  before(async () => {
    world = await testWorld()
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
