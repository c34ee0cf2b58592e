import { expect } from 'chai'
import { hiddenQuestions, shownQuestionIds } from '../../../lib/assessments/visibility'
import { question, testFramework, valuesByKey } from '../../support/frameworks'

describe('Frameworks: which questions are shown given the current values', () => {
  const framework = testFramework()
  const shownKeys = (byKey: Record<string, unknown>) => {
    const shown = shownQuestionIds(framework, valuesByKey(framework, byKey))
    return framework.questions.filter(q => shown.has(q.id)).map(q => q.key)
  }
  const topLevel = ['violent', 'escape', 'risk-notes', 'medication', 'diet', 'allergy']

  it('when nothing is answered, then only the top-level questions are shown, never the children of multiple items', () => {
    expect(shownKeys({})).to.deep.equal(topLevel)
  })

  it("when a parent's option is selected, then its dependent is shown, and a dependent's dependent two levels down", () => {
    expect(shownKeys({ violent: { option: 'Yes', details: 'x' } }))
      .to.include('violent-towards')
      .and.not.include('violent-other')
    expect(
      shownKeys({ violent: { option: 'Yes', details: 'x' }, 'violent-towards': ['Staff', 'Other'] }),
    ).to.include.members(['violent-towards', 'violent-other'])
  })

  it("when a parent's other option is selected, then its dependents stay hidden", () => {
    expect(shownKeys({ violent: { option: 'No' } })).to.deep.equal(topLevel)
    expect(shownKeys({ violent: { option: 'Yes', details: 'x' }, 'violent-towards': ['Staff'] })).not.to.include(
      'violent-other',
    )
  })

  it('when a parent is answered so that a followup is no longer selected, then every descendant is hidden and to be reset, at any depth', () => {
    const values = { violent: { option: 'No' }, 'violent-towards': ['Other'], 'violent-other': 'A neighbour' }
    expect(shownKeys(values)).not.to.include.members(['violent-towards', 'violent-other'])
    expect(hiddenQuestions(framework, valuesByKey(framework, values)).map(q => q.key)).to.deep.equal([
      'violent-towards',
      'violent-other',
    ])
  })

  it("when a grandparent is blank, then a question stays hidden even if its own parent's stale value selects it", () => {
    const shown = shownQuestionIds(framework, valuesByKey(framework, { violent: null, 'violent-towards': ['Other'] }))
    expect(shown.has(question(framework, 'violent-other').id)).to.equal(false)
  })
})
