import { expect } from 'chai'
import { validateValue, valueType } from '../../../lib/assessments/responseValues'
import { question, testFramework } from '../../support/frameworks'

describe('Frameworks: a response value is checked against its question type', () => {
  const framework = testFramework()
  const check = (key: string, value: unknown, options = {}) =>
    validateValue(framework, question(framework, key), value, options)

  it('when each question type is asked for its value type, then it is the one the reference names', () => {
    expect(valueType(question(framework, 'violent'))).to.equal('object::followup_comment')
    expect(valueType(question(framework, 'escape'))).to.equal('string')
    expect(valueType(question(framework, 'violent-towards'))).to.equal('array')
    expect(valueType(question(framework, 'diet'))).to.equal('collection::followup_comment')
    expect(valueType(question(framework, 'medication'))).to.equal('collection::add_multiple_items')
    expect(valueType(question(framework, 'risk-notes'))).to.equal('string')
  })

  it('when a radio is answered with an offered option, then it is accepted; with another, then the value is not_offered', () => {
    expect(check('escape', 'Yes')).to.deep.equal([])
    expect(check('escape', 'Maybe')).to.deep.equal([
      { path: [], kind: 'not_offered', detail: '"Maybe" is not one of the options of escape' },
    ])
  })

  it('when a value has the wrong JSON type, then it is a type problem at the value', () => {
    expect(check('escape', ['Yes'])).to.deep.equal([
      { path: [], kind: 'type', detail: 'Value: ["Yes"] is incorrect type' },
    ])
    expect(check('risk-notes', 42)[0]).to.include({ kind: 'type' })
    expect(check('violent-towards', 'Staff')[0]).to.include({ kind: 'type' })
    expect(check('diet', { option: 'Halal' })[0]).to.include({ kind: 'type' })
  })

  it('when a radio with follow-up comments is answered, then the option is checked and the comment is mandatory where the file says', () => {
    expect(check('violent', { option: 'Yes', details: 'Punched an officer' })).to.deep.equal([])
    expect(check('violent', { option: 'No' })).to.deep.equal([])
    expect(check('violent', { option: 'Yes' })).to.deep.equal([
      { path: ['details'], kind: 'blank', detail: "details can't be blank when Yes is chosen" },
    ])
    expect(check('violent', { option: 'Yes', details: '  ' })[0]).to.include({ kind: 'blank' })
    expect(check('violent', { option: 'Often', details: 'x' })).to.deep.equal([
      { path: ['option'], kind: 'not_offered', detail: '"Often" is not one of the options of violent' },
    ])
    expect(check('violent', { option: 'Yes', details: 3 })[0]).to.deep.include({ path: ['details'], kind: 'type' })
    expect(check('violent', { option: 'No', why: 'x' })[0]).to.deep.include({ path: ['why'], kind: 'invalid' })
  })

  it('when the response came from NOMIS, then a mandatory follow-up comment may be missing', () => {
    expect(check('violent', { option: 'Yes' }, { nomisMapped: true })).to.deep.equal([])
  })

  it('when a checkbox is answered, then every option must be offered, once', () => {
    expect(check('violent-towards', ['Staff', 'Public'])).to.deep.equal([])
    expect(check('violent-towards', ['Staff', 'Pets'])).to.deep.equal([
      { path: [1], kind: 'not_offered', detail: '"Pets" is not one of the options of violent-towards' },
    ])
    expect(check('violent-towards', ['Staff', 'Staff'])[0]).to.deep.include({ path: [], kind: 'invalid' })
    expect(check('violent-towards', ['Staff', 7])[0]).to.deep.include({ path: [1], kind: 'type' })
  })

  it('when a checkbox with follow-up comments is answered, then each element is an option with its comment', () => {
    expect(check('diet', [{ option: 'Halal' }, { option: 'Other', details: 'No nuts' }])).to.deep.equal([])
    expect(check('diet', [{ option: 'Halal' }, { option: 'Other' }])).to.deep.equal([
      { path: [1, 'details'], kind: 'blank', detail: "details can't be blank when Other is chosen" },
    ])
    expect(check('diet', [{ option: 'Keto' }])[0]).to.deep.include({ path: [0, 'option'], kind: 'not_offered' })
    expect(check('diet', [{ option: 'Vegan' }, { option: 'Vegan' }])[0]).to.deep.include({ kind: 'invalid' })
    expect(check('diet', ['Vegan'])[0]).to.deep.include({ path: [0], kind: 'type' })
  })

  it('when a text or textarea is answered, then any string is accepted', () => {
    expect(check('violent-other', 'A neighbour')).to.deep.equal([])
    expect(check('risk-notes', 'Calm today')).to.deep.equal([])
  })

  it('when a required question is blank, then it is refused only while shown; an optional blank is accepted', () => {
    for (const blank of [null, undefined, '']) {
      expect(check('escape', blank)).to.deep.equal([{ path: [], kind: 'blank', detail: "can't be blank" }])
    }
    expect(check('violent-towards', [])[0]).to.include({ kind: 'blank' })
    expect(check('violent', {})[0]).to.include({ kind: 'blank' })
    expect(check('violent-towards', [], { shown: false })).to.deep.equal([])
    expect(check('risk-notes', '')).to.deep.equal([])
    expect(check('diet', [])).to.deep.equal([])
  })

  /** An item of the medication question answering its children by key. */
  const item = (number: number, byKey: Record<string, unknown>) => ({
    item: number,
    responses: Object.entries(byKey).map(([key, value]) => ({
      framework_question_id: question(framework, key).id,
      value,
    })),
  })

  it('when multiple items are answered, then each item answers the child questions by their types', () => {
    const insulin = item(0, { medicine: 'Insulin', 'carried-by': 'Escort' })
    expect(
      check('medication', [insulin, item(1, { medicine: 'Inhaler', 'carried-by': 'Person', 'medicine-notes': '' })]),
    ).to.deep.equal([])
    expect(check('medication', [insulin, item(1, { medicine: 'Inhaler', 'carried-by': 'Driver' })])).to.deep.equal([
      {
        path: [1, 'responses', 1, 'value'],
        kind: 'not_offered',
        detail: '"Driver" is not one of the options of carried-by',
      },
    ])
  })

  it('when an item misses a required child, names a question not of this one, or repeats an item, then each is reported where it is', () => {
    const problems = check('medication', [
      item(0, { medicine: 'Insulin' }),
      item(0, { medicine: 'Salbutamol', 'carried-by': 'Person', escape: 'No' }),
      { responses: [] },
      'tablets',
    ])
    expect(problems).to.deep.include({ path: [0, 'responses'], kind: 'blank', detail: "carried-by can't be blank" })
    expect(problems).to.deep.include({ path: [1, 'item'], kind: 'invalid', detail: 'item 0 is given twice' })
    expect(problems.find(p => p.path.join('.') === '1.responses.2.framework_question_id')).to.include({
      kind: 'invalid',
    })
    expect(problems.find(p => p.path.join('.') === '2.item')).to.include({ kind: 'type' })
    expect(problems.find(p => p.path.join('.') === '3')).to.include({ kind: 'type' })
  })
})
