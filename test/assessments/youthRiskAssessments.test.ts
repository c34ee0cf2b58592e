import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, patch, post } from '../support/builders'
import { answerAll, anAssessment, assessmentBody, confirmBody } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: youth risk assessments', () => {
  let world: World
  let stc: string
  before(async () => {
    world = await testWorld()
    stc = (await world.services.db('locations').where({ location_type: 'secure_training_centre' }).first('id')).id
  })

  it('when a youth risk assessment is made for a move from a secure training centre, then it is answered, completed and confirmed', async () => {
    const { id, moveId, body } = await anAssessment(world, {
      type: 'youth_risk_assessments',
      move: { from: stc, moveType: 'prison_remand', to: 'iwi' },
    })
    expect(body.data.type).to.equal('youth_risk_assessments')
    expect(body.data.attributes).not.to.have.property('handover_details')
    expect(await answerAll(world, id, { type: 'youth_risk_assessments' })).to.equal('completed')
    const res = await patch(world, world.frontend, `/api/youth_risk_assessments/${id}`)
      .send(confirmBody('youth_risk_assessments'))
      .expect(200)
    expect(res.body.data.attributes.status).to.equal('confirmed')
    const types = await world.services.db('move_events').where({ move_id: moveId }).pluck('event_type')
    expect(types).to.include.members(['YraCompletion', 'YraConfirmation'])
    const profile = await as(world.app, world.frontend)
      .get(`/api/moves/${moveId}`)
      .set('Accept', 'application/vnd.api+json; version=2')
      .query({ include: 'profile.youth_risk_assessment' })
      .expect(200)
    expect(profile.body.included.map((r: { type: string; id: string }) => `${r.type}:${r.id}`)).to.include(
      `youth_risk_assessments:${id}`,
    )
  })

  it('when the move leaves a prison, then a youth risk assessment is 422 at the move', async () => {
    const move = await aMove(world, { from: 'bsi' })
    const res = await post(world, world.frontend, '/api/youth_risk_assessments')
      .send(assessmentBody('youth_risk_assessments', move.id))
      .expect(422)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/move')
  })
})
