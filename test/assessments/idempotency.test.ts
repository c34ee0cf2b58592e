import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, key } from '../support/builders'
import { anAssessment, assessmentBody, responseBody, responsesOf } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: idempotency keys', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a creation is sent twice with one key, then the second replays the first and makes nothing new', async () => {
    const move = await aMove(world)
    const idempotencyKey = key()
    const send = () =>
      as(world.app, world.frontend)
        .post('/api/person_escort_records')
        .set('Idempotency-Key', idempotencyKey)
        .send(assessmentBody('person_escort_records', move.id))
        .expect(201)
    const first = await send()
    const second = await send()
    expect(second.headers['idempotent-replayed']).to.equal('true')
    expect(second.body.data.id).to.equal(first.body.data.id)
    const [{ c }] = await world.services.db('assessments').where({ move_id: move.id }).count<{ c: number }[]>('* as c')
    expect(Number(c)).to.equal(1)
  })

  it('when a write has no key, then it is 400 and nothing is answered', async () => {
    const move = await aMove(world)
    await as(world.app, world.frontend)
      .post('/api/person_escort_records')
      .send(assessmentBody('person_escort_records', move.id))
      .expect(400)
    const { id } = await anAssessment(world)
    const [response] = await responsesOf(world, id)
    await as(world.app, world.frontend)
      .patch(`/api/framework_responses/${response!.id}`)
      .send(responseBody('No'))
      .expect(400)
    expect((await responsesOf(world, id))[0]!.responded).to.equal(false)
  })
})
