import { expect } from 'chai'
import { isComplete, progressOf } from '../../../lib/assessments/progress'
import { responsesOf, testFramework } from '../../support/frameworks'

describe('Frameworks: an assessment is complete when every shown response is submitted', () => {
  const framework = testFramework()
  const responses = (answered: Record<string, unknown>) => responsesOf(framework, answered)
  const allTopLevel = {
    violent: { option: 'No' },
    escape: 'No',
    'risk-notes': '',
    medication: [],
    diet: [],
    allergy: { option: 'No' },
  }

  it('when no response is submitted, then the assessment is not started', () => {
    expect(progressOf(framework, responses({}))).to.equal('not_started')
    expect(isComplete(framework, responses({}))).to.equal(false)
  })

  it('when some shown responses are submitted, then it is in progress', () => {
    expect(progressOf(framework, responses({ escape: 'No' }))).to.equal('in_progress')
  })

  it('when every shown response is submitted, optional ones included, then it is complete while hidden dependents stay unanswered', () => {
    expect(progressOf(framework, responses(allTopLevel))).to.equal('completed')
    expect(isComplete(framework, responses(allTopLevel))).to.equal(true)
  })

  it('when an optional question is not submitted, then it is not complete: required-ness only decides whether blank is accepted', () => {
    const { 'risk-notes': _notes, ...withoutNotes } = allTopLevel
    expect(progressOf(framework, responses(withoutNotes))).to.equal('in_progress')
  })

  it('when an answer shows a dependent, then it is incomplete until the dependent is submitted too', () => {
    const violent = { ...allTopLevel, violent: { option: 'Yes', details: 'Spat at staff' } }
    expect(isComplete(framework, responses(violent))).to.equal(false)
    expect(isComplete(framework, responses({ ...violent, 'violent-towards': ['Staff'] }))).to.equal(true)
    expect(isComplete(framework, responses({ ...violent, 'violent-towards': ['Other'] }))).to.equal(false)
    expect(
      isComplete(framework, responses({ ...violent, 'violent-towards': ['Other'], 'violent-other': 'Visitors' })),
    ).to.equal(true)
  })
})
