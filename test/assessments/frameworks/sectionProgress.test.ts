import { expect } from 'chai'
import { sectionProgress } from '../../../lib/assessments/progress'
import { responsesOf, testFramework } from '../../support/frameworks'

describe('Frameworks: section progress', () => {
  const framework = testFramework()
  const responses = (answered: Record<string, unknown>) => responsesOf(framework, answered)

  it('when nothing is submitted, then every section is not started, in the framework order', () => {
    expect(sectionProgress(framework, responses({}))).to.deep.equal([
      { key: 'risks', status: 'not_started' },
      { key: 'health', status: 'not_started' },
    ])
  })

  it("when one section's shown responses are all submitted and another's partly, then they are completed and in progress", () => {
    const answered = { violent: { option: 'No' }, escape: 'Yes', 'risk-notes': 'None', diet: [] }
    expect(sectionProgress(framework, responses(answered))).to.deep.equal([
      { key: 'risks', status: 'completed' },
      { key: 'health', status: 'in_progress' },
    ])
  })

  it('when an answer shows a dependent in a completed section, then the section is back in progress', () => {
    const answered = { violent: { option: 'Yes', details: 'x' }, escape: 'Yes', 'risk-notes': 'None' }
    expect(sectionProgress(framework, responses(answered))[0]).to.deep.equal({ key: 'risks', status: 'in_progress' })
  })
})
