import { expect } from 'chai'
import { flagsRaisedBy, raisedFlags } from '../../../lib/assessments/flags'
import { question, testFramework, valuesByKey } from '../../support/frameworks'

describe('Frameworks: the flags a response raises', () => {
  const framework = testFramework()
  const titles = (flags: { title: string }[]) => flags.map(f => f.title)

  it('when the option a flag names is selected, then the flag is raised, whatever the value shape', () => {
    expect(titles(raisedFlags(framework, question(framework, 'escape'), 'Yes'))).to.deep.equal(['Escape'])
    expect(
      titles(raisedFlags(framework, question(framework, 'violent'), { option: 'Yes', details: 'x' })),
    ).to.deep.equal(['Violent'])
    expect(
      titles(raisedFlags(framework, question(framework, 'diet'), [{ option: 'Halal' }, { option: 'Vegan' }])),
    ).to.deep.equal(['Vegan'])
  })

  it('when another option is selected or the value is blank, then no flag is raised', () => {
    expect(raisedFlags(framework, question(framework, 'escape'), 'No')).to.deep.equal([])
    expect(raisedFlags(framework, question(framework, 'allergy'), null)).to.deep.equal([])
  })

  it('when an assessment is read as a whole, then every shown response raises its flags, of each type', () => {
    const flags = flagsRaisedBy(
      framework,
      valuesByKey(framework, {
        violent: { option: 'Yes', details: 'x' },
        escape: 'Yes',
        diet: [{ option: 'Vegan' }],
        allergy: { option: 'Yes' },
      }),
    )
    expect(flags.map(f => [f.flag_type, f.title])).to.deep.equal([
      ['alert', 'Violent'],
      ['warning', 'Escape'],
      ['information', 'Vegan'],
      ['attention', 'Allergy'],
    ])
  })
})
