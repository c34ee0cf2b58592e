import { expect } from 'chai'
import { readFrameworkDefinitions, frameworkOf } from '../../../lib/assessments/frameworkFiles'
import { questionForNomisCode } from '../../../lib/assessments/nomisCodes'

describe('Frameworks: the question a NOMIS code prefills', () => {
  const definition = readFrameworkDefinitions().find(d => d.name === 'person-escort-record' && d.version === '1.0.0')!
  const framework = frameworkOf(definition)
  const keyFor = (type: Parameters<typeof questionForNomisCode>[1], code: string) => {
    const found = questionForNomisCode(framework, type, code)
    return found && { key: found.question.key, fallback: found.fallback }
  }

  it('when an alert code is named by a question, then that question takes it, in any letter case', () => {
    expect(keyFor('alert', 'XEL')).to.deep.equal({ key: 'escape-risk', fallback: false })
    expect(keyFor('alert', 'hc')).to.deep.equal({ key: 'care-plan-open', fallback: false })
    expect(keyFor('personal_care_need', 'PREG')).to.deep.equal({ key: 'pregnant', fallback: false })
  })

  it('when no question names a code, then the fallback question of its type takes it', () => {
    expect(keyFor('alert', 'ZZZ')).to.deep.equal({ key: 'other-risks', fallback: true })
    expect(keyFor('reasonable_adjustment', 'RAMP')).to.deep.equal({ key: 'other-health-needs', fallback: true })
  })

  it('when a code type has neither a named code nor a fallback, then no question takes it', () => {
    expect(keyFor('contact', 'NEXTOFKIN')).to.equal(undefined)
  })
})
