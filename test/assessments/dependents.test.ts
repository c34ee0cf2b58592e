import { expect } from 'chai'
import { as } from '../support/app'
import { patch } from '../support/builders'
import { answerAll, anAssessment, responseBody, responsesOf, responseTo } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: dependent questions', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when a parent’s answer shows a dependent, then it must be answered to complete; when the answer changes back, the dependents are cleared', async () => {
    const { id } = await anAssessment(world)
    expect(await answerAll(world, id)).to.equal('completed')
    const status = async () =>
      (await as(world.app, world.frontend).get(`/api/person_escort_records/${id}`).expect(200)).body.data.attributes
        .status
    const answer = async (key: string, value: unknown) =>
      patch(world, world.frontend, `/api/framework_responses/${responseTo(await responsesOf(world, id), key).id}`)
        .send(responseBody(value))
        .expect(200)

    await answer('weapons', { option: 'Yes', details: 'Carried a blade' })
    expect(await status()).to.equal('in_progress')
    await answer('weapon-kinds', ['Other'])
    expect(await status()).to.equal('in_progress')
    await answer('weapon-kinds-other', 'A sharpened toothbrush')
    expect(await status()).to.equal('completed')

    await answer('weapons', { option: 'No' })
    const after = await responsesOf(world, id)
    for (const key of ['weapon-kinds', 'weapon-kinds-other']) {
      expect(responseTo(after, key), key).to.deep.include({ value: null, responded: false, prefilled: false })
      expect(responseTo(after, key).flags, key).to.deep.equal([])
    }
    expect(await status()).to.equal('completed')
  })

  it('when a dependent is hidden, then it does not count towards completion', async () => {
    const { id } = await anAssessment(world)
    expect(await answerAll(world, id)).to.equal('completed')
    const responses = await responsesOf(world, id)
    expect(responseTo(responses, 'weapon-kinds').responded).to.equal(false)
    expect(responseTo(responses, 'escape-list').responded).to.equal(false)
  })
})
