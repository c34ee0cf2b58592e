import { expect } from 'chai'
import { readFrameworkDefinitions, type FrameworkDefinition } from '../../../lib/assessments/frameworkFiles'
import { FLAG_TYPES, QUESTION_TYPES } from '../../../lib/assessments/frameworks'
import { referenceCodes } from '../../../lib/prisonerRecords/codes'

describe("Frameworks: the repository's question sets", () => {
  const definitions = readFrameworkDefinitions()
  const find = (name: string) => definitions.find(d => d.name === name && d.version === '1.0.0')!
  const per = find('person-escort-record')
  const yra = find('youth-risk-assessment')
  const depth = (definition: FrameworkDefinition, id: string | null): number => {
    const question = definition.questions.find(q => q.id === id)
    return question ? 1 + depth(definition, question.parent_id) : 0
  }

  it("when the person escort record is read, then it has the reference's four sections and 50 to 60 questions", () => {
    expect([...new Set(per.questions.map(q => q.section))]).to.deep.equal([
      'risk-information',
      'offence-information',
      'health-information',
      'property-information',
    ])
    expect(per.questions.length).to.be.within(50, 60)
  })

  it('when the person escort record is read, then it uses every question type, required and optional questions, and prefill', () => {
    expect(new Set(per.questions.map(q => q.question_type))).to.deep.equal(new Set(QUESTION_TYPES))
    expect(per.questions.some(q => q.required)).to.equal(true)
    expect(per.questions.some(q => !q.required)).to.equal(true)
    expect(per.questions.some(q => q.prefill)).to.equal(true)
  })

  it('when the person escort record is read, then dependents nest at least two levels and follow-up comments are mandatory somewhere', () => {
    expect(Math.max(...per.questions.map(q => depth(per, q.id)))).to.be.at.least(3)
    expect(per.questions.some(q => q.question_type === 'checkbox' && q.followup_comment)).to.equal(true)
    expect(per.questions.some(q => q.followup_comment_options.length)).to.equal(true)
  })

  it('when the person escort record is read, then options raise flags of every type', () => {
    expect(new Set(per.flags.map(f => f.flag_type))).to.deep.equal(new Set(FLAG_TYPES))
  })

  it("when the person escort record is read, then NOMIS alert codes prefill questions, our prisoner records' codes among them", () => {
    const alerts = per.nomisCodes.filter(c => c.code_type === 'alert' && !c.fallback).map(c => c.code)
    expect(alerts).to.include.members(Object.keys(referenceCodes.ALERT_CODE))
    const prefilled = new Set(per.questions.filter(q => q.prefill).map(q => q.id))
    for (const code of per.nomisCodes.filter(c => c.code_type === 'alert')) {
      expect(prefilled.has(code.framework_question_id), `${code.code} maps to a prefilled question`).to.equal(true)
    }
    expect(per.nomisCodes.filter(c => c.fallback).map(c => c.code_type)).to.include('alert')
  })

  it('when the youth risk assessment is read, then it has about a dozen questions', () => {
    expect(yra.questions.length).to.be.within(10, 14)
  })
})
