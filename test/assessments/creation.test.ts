import { expect } from 'chai'
import { aMove, post } from '../support/builders'
import { anAssessment, assessmentBody, responsesOf } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: creation', () => {
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

  it('when a version that does not exist is asked for, then it is 404 at the version', async () => {
    const move = await aMove(world)
    const res = await post(world, world.frontend, '/api/person_escort_records')
      .send(assessmentBody('person_escort_records', move.id, '9.9.9'))
      .expect(404)
    expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/version')
  })
})
