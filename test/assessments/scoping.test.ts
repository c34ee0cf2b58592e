import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, patch, post } from '../support/builders'
import {
  answerAll,
  anAssessment,
  assessmentBody,
  confirmBody,
  responseBody,
  responsesBody,
  responsesOf,
} from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: who may read and write them', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a supplier supplies the move, then it creates, reads, answers and hands over the record', async () => {
    const { id } = await anAssessment(world, { by: world.geoamey, move: { from: 'bsi' } })
    await as(world.app, world.geoamey).get(`/api/person_escort_records/${id}`).expect(200)
    expect(await answerAll(world, id, { by: world.geoamey })).to.equal('completed')
    const res = await patch(world, world.geoamey, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records', { handover_details: { receiving_officer: 'Driver Jay' } }))
      .expect(200)
    expect(res.body.data.attributes.status).to.equal('confirmed')
  })

  it('when another supplier asks, then the record, its responses and the move are not found, and nothing changes', async () => {
    const { id, moveId } = await anAssessment(world, { move: { from: 'bsi', to: 'iwi' } })
    const [response] = await responsesOf(world, id)
    const serco = world.serco
    await as(world.app, serco).get(`/api/person_escort_records/${id}`).expect(404)
    await patch(world, serco, `/api/framework_responses/${response!.id}`).send(responseBody('No')).expect(404)
    await patch(world, serco, `/api/person_escort_records/${id}/framework_responses`)
      .send(responsesBody([{ id: response!.id, value: 'No' }]))
      .expect(404)
    await patch(world, serco, `/api/person_escort_records/${id}`).send(confirmBody('person_escort_records')).expect(404)
    const other = await aMove(world, { from: 'bsi' })
    const res = await post(world, serco, '/api/person_escort_records')
      .send(assessmentBody('person_escort_records', other.id))
      .expect(404)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/move')
    expect(moveId).to.be.a('string')
    expect((await responsesOf(world, id)).every(r => !r.responded)).to.equal(true)
  })

  it('when the frontend writes, then it writes any record, and one per profile: a second is 422 taken', async () => {
    const { moveId } = await anAssessment(world, { by: world.geoamey, move: { from: 'bsi' } })
    const res = await post(world, world.frontend, '/api/person_escort_records')
      .send(assessmentBody('person_escort_records', moveId))
      .expect(422)
    expect(res.body.errors[0]).to.deep.include({ code: 'taken' })
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/move')
  })
})
