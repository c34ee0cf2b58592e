import { expect } from 'chai'
import { patch } from '../support/builders'
import {
  anAssessment,
  responseBody,
  responsesBody,
  responsesOf,
  responseTo,
  type AnsweredResponse,
} from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: answers by question type', () => {
  let world: World
  let assessmentId: string
  let responses: AnsweredResponse[]
  before(async () => {
    world = await testWorld()
    assessmentId = (await anAssessment(world)).id
    responses = await responsesOf(world, assessmentId)
  })

  const answer = (key: string, value: unknown) =>
    patch(world, world.frontend, `/api/framework_responses/${responseTo(responses, key).id}`).send(responseBody(value))

  const refused = async (key: string, value: unknown, pointer: string) => {
    const res = await answer(key, value).expect(422)
    expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.include(pointer)
    return res
  }

  it('when a radio question is answered with one of its options, then the response holds it; with another, 422 at the value', async () => {
    const res = await answer('cash', 'No').expect(200)
    expect(res.body.data.attributes).to.include({ value: 'No', value_type: 'string', responded: true })
    await refused('cash', 'Maybe', '/data/attributes/value')
  })

  it('when a radio question takes a comment, then the option is an object and details are required where the option asks', async () => {
    await refused('violence-towards-staff', { option: 'Yes' }, '/data/attributes/value/details')
    await refused('violence-towards-staff', { option: 'Sometimes', details: 'x' }, '/data/attributes/value/option')
    await refused('violence-towards-staff', 'Yes', '/data/attributes/value')
    const res = await answer('violence-towards-staff', {
      option: 'Yes',
      details: 'Assaulted an officer in 2024',
    }).expect(200)
    expect(res.body.data.attributes).to.deep.include({
      value_type: 'object::followup_comment',
      value: { option: 'Yes', details: 'Assaulted an officer in 2024' },
    })
  })

  it('when a checkbox question is answered, then every option must be offered, each once', async () => {
    const res = await answer('valuables', ['Watch', 'Jewellery']).expect(200)
    expect(res.body.data.attributes).to.deep.include({ value_type: 'array', value: ['Watch', 'Jewellery'] })
    await refused('valuables', ['Watch', 'Gold'], '/data/attributes/value/1')
    await refused('valuables', ['Watch', 'Watch'], '/data/attributes/value')
  })

  it('when a checkbox question takes comments, then each option is an object of its own', async () => {
    const diet = responseTo(responses, 'diet')
    expect(diet.value_type).to.equal('collection::followup_comment')
    const option = diet.question.options[0]!
    const res = await answer('diet', [{ option, details: 'No pork' }]).expect(200)
    expect(res.body.data.attributes.value).to.deep.equal([{ option, details: 'No pork' }])
    await refused('diet', [{ option: 'Moon cheese' }], '/data/attributes/value/0/option')
  })

  it('when a text or textarea question is answered, then any string is taken, and nothing else', async () => {
    await answer('current-offences', 'Theft').expect(200)
    await answer('property-notes', 'A bag of letters\nand a watch').expect(200)
    await refused('current-offences', ['Theft'], '/data/attributes/value')
    await refused('current-offences', 12, '/data/attributes/value')
    await refused('current-offences', '  ', '/data/attributes/value')
  })

  it('when an add_multiple_items question is answered, then each item answers its children by their own types, every required one', async () => {
    const bags = responseTo(responses, 'property-bags')
    expect(bags.value_type).to.equal('collection::add_multiple_items')
    const [seal, stowed, contents] = bags.question.descendants
    const item = (stowedValue: unknown) => ({
      item: 1,
      responses: [
        { framework_question_id: seal, value: 'S-1234' },
        { framework_question_id: stowed, value: stowedValue },
        { framework_question_id: contents, value: 'Clothes' },
      ],
    })
    await answer('property-bags', [item('With the person')]).expect(200)
    await refused('property-bags', [item('On the roof')], '/data/attributes/value/0/responses/1/value')
    await refused(
      'property-bags',
      [{ item: 1, responses: [{ framework_question_id: contents, value: 'Clothes' }] }],
      '/data/attributes/value/0/responses',
    )
  })

  it('when a bulk answer has a value not offered, then it is 422 at that item with its id, and none of the answers is kept', async () => {
    const charges = responseTo(responses, 'outstanding-charges')
    const custody = responseTo(responses, 'custody-status')
    const res = await patch(world, world.frontend, `/api/person_escort_records/${assessmentId}/framework_responses`)
      .send(
        responsesBody([
          { id: charges.id, value: { option: 'No' } },
          { id: custody.id, value: 'On the moon' },
        ]),
      )
      .expect(422)
    expect(res.body.errors).to.have.length(1)
    expect(res.body.errors[0].source.pointer).to.equal('/data/1/attributes/value')
    expect(res.body.errors[0].meta.id).to.equal(custody.id)
    expect(responseTo(await responsesOf(world, assessmentId), 'outstanding-charges').responded).to.equal(false)
  })
})
