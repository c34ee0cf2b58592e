import { expect } from 'chai'
import { as } from '../support/app'
import { patch } from '../support/builders'
import { answerAll, anAssessment, confirmBody, responseBody, responsesBody, responsesOf } from '../support/assessments'
import { testWorld, type World } from '../support/world'

const HANDOVER = {
  dispatching_officer: 'Officer Dee',
  receiving_officer: 'Driver Jay',
  receiving_organisation: 'GEOAmey',
}

describe('Assessments: confirming the handover', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a record is not completed, then confirming it is 409 with its status', async () => {
    const { id } = await anAssessment(world)
    const res = await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records', { handover_details: HANDOVER }))
      .expect(409)
    expect(res.body.errors[0]).to.deep.include({ code: 'invalid_transition' })
    expect(res.body.errors[0].meta.status).to.equal('not_started')
  })

  it('when a completed record is handed over, then it is confirmed with the handover details and a PerHandover at the move’s from_location', async () => {
    const { id, moveId } = await anAssessment(world)
    await answerAll(world, id)
    const occurredAt = '2031-01-01T09:30:00.000Z'
    const res = await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records', { handover_details: HANDOVER, handover_occurred_at: occurredAt }))
      .expect(200)
    const move = await world.services.db('moves').where({ id: moveId }).first('from_location_id')
    expect(res.body.data.attributes).to.deep.include({
      status: 'confirmed',
      editable: false,
      handover_occurred_at: occurredAt,
      handover_details: { ...HANDOVER, location_id: move.from_location_id },
    })
    expect(res.body.data.attributes.confirmed_at).to.be.a('string')
    const handover = await world.services
      .db('move_events')
      .where({ move_id: moveId, event_type: 'PerHandover' })
      .first('eventable_type', 'eventable_id', 'location_id', 'occurred_at', 'details')
    expect(handover).to.deep.include({
      eventable_type: 'person_escort_records',
      eventable_id: id,
      location_id: move.from_location_id,
    })
    expect(new Date(handover.occurred_at).toISOString()).to.equal(occurredAt)
    expect(handover.details).to.include(HANDOVER)
  })

  it('when a record is confirmed, then every write to it is 403 and nothing changes', async () => {
    const { id } = await anAssessment(world)
    await answerAll(world, id)
    await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records', { handover_details: HANDOVER }))
      .expect(200)
    const [response] = await responsesOf(world, id)
    await patch(world, world.frontend, `/api/framework_responses/${response!.id}`)
      .send(responseBody(response!.value))
      .expect(403)
    await patch(world, world.frontend, `/api/person_escort_records/${id}/framework_responses`)
      .send(responsesBody([{ id: response!.id, value: response!.value }]))
      .expect(403)
    await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send(confirmBody('person_escort_records'))
      .expect(403)
    const after = await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)
    expect(after.body.data.attributes.status).to.equal('confirmed')
  })

  it('when the status sent is not confirmed, then it is 422 at the status', async () => {
    const { id } = await anAssessment(world)
    const res = await patch(world, world.frontend, `/api/person_escort_records/${id}`)
      .send({ data: { type: 'person_escort_records', attributes: { status: 'completed' } } })
      .expect(422)
    expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/status')
  })
})
