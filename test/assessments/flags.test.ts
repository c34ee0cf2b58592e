import { expect } from 'chai'
import { as } from '../support/app'
import { patch } from '../support/builders'
import { anAssessment, responseBody, responsesOf, responseTo } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: flags', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when an answer selects a flagged option, then the response and the record raise the flag; when it changes, the flag goes', async () => {
    const { id } = await anAssessment(world)
    const staff = responseTo(await responsesOf(world, id), 'violence-towards-staff')
    const flags = async () => {
      const res = await as(world.app, world.frontend)
        .get(`/api/person_escort_records/${id}`)
        .query({ include: 'flags' })
        .expect(200)
      return (res.body.included ?? []).map((f: { attributes: { title: string; flag_type: string } }) => f.attributes)
    }
    expect(await flags()).to.deep.equal([])

    await patch(world, world.frontend, `/api/framework_responses/${staff.id}`)
      .send(responseBody({ option: 'Yes', details: 'Threatened an officer' }))
      .expect(200)
    expect(await flags()).to.deep.equal([{ flag_type: 'alert', title: 'Violent towards staff', question_value: 'Yes' }])
    expect(responseTo(await responsesOf(world, id), 'violence-towards-staff').flags).to.have.length(1)

    await patch(world, world.frontend, `/api/framework_responses/${staff.id}`)
      .send(responseBody({ option: 'No' }))
      .expect(200)
    expect(await flags()).to.deep.equal([])
  })
})
