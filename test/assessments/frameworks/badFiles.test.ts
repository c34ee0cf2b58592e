import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import { FrameworkFileError, readFrameworkDefinitions } from '../../../lib/assessments/frameworkFiles'
import { loadFrameworks } from '../../../lib/assessments/frameworkLoader'
import { testDb } from '../../support/db'
import { frameworksRoot, writeFrameworkFolder } from '../../support/frameworks'

describe('Frameworks: a bad framework file stops the start, naming the file and the path in it', () => {
  const radio = (key: string, extra: Record<string, unknown> = {}) => ({
    key,
    type: 'radio',
    question: 'A question?',
    options: [{ value: 'Yes' }, { value: 'No' }],
    ...extra,
  })
  const refusal = (root: string): string => {
    try {
      readFrameworkDefinitions(root)
    } catch (err) {
      expect(err).to.be.instanceOf(FrameworkFileError)
      return (err as Error).message
    }
    throw new Error('the files were accepted')
  }

  it('when a question breaks the schema, then the error names the file and the JSON path of the member', () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'person-escort-record', '0.3.1', {
      risks: [radio('fine'), { key: 'no-options', type: 'radio', question: 'Which?' }],
    })
    expect(refusal(root)).to.equal(
      "frameworks/person-escort-record/0.3.1/risks.yaml: /questions/1 must have required property 'options'",
    )
  })

  it('when a nested option raises a flag of an unknown type, then the path leads to it through the followups', () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'person-escort-record', '0.3.2', {
      risks: [
        radio('parent', {
          options: [
            {
              value: 'Yes',
              followups: [
                radio('child', { options: [{ value: 'A', flag: { type: 'red', title: 'x' } }, { value: 'B' }] }),
              ],
            },
            { value: 'No' },
          ],
        }),
      ],
    })
    expect(refusal(root)).to.match(
      /^frameworks\/person-escort-record\/0\.3\.2\/risks\.yaml: \/questions\/0\/options\/0\/followups\/0\/options\/0\/flag\/type must be equal to one of the allowed values/,
    )
  })

  it('when a member does not belong to the question type, then it is named', () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'person-escort-record', '0.3.3', {
      risks: [{ key: 'notes', type: 'text', question: 'Notes', options: [{ value: 'a' }, { value: 'b' }] }],
    })
    expect(refusal(root)).to.contain('risks.yaml: /questions/0/options is not allowed for this question type')
  })

  it('when a key or a NOMIS code is used twice in a version, then both places are named', () => {
    const keys = frameworksRoot()
    writeFrameworkFolder(keys, 'person-escort-record', '0.3.4', { risks: [radio('twice')], health: [radio('twice')] })
    expect(refusal(keys)).to.equal(
      'frameworks/person-escort-record/0.3.4/health.yaml: /questions/0/key twice is already used at frameworks/person-escort-record/0.3.4/risks.yaml: /questions/0',
    )
    const codes = frameworksRoot()
    writeFrameworkFolder(codes, 'person-escort-record', '0.3.5', {
      risks: [radio('one', { nomis: { alert: ['XEL'] } }), radio('two', { nomis: { alert: ['XA', 'XEL'] } })],
    })
    expect(refusal(codes)).to.contain('risks.yaml: /questions/1/nomis alert XEL is already mapped at')
  })

  it('when a section file is missing, an extra file is there, or a file is not YAML, then that file is named', () => {
    const missing = frameworksRoot()
    const directory = writeFrameworkFolder(missing, 'person-escort-record', '0.3.6', { risks: [radio('a')] })
    fs.rmSync(path.join(directory, 'risks.yaml'))
    expect(refusal(missing)).to.match(/0\.3\.6\/risks\.yaml: missing/)

    const extra = frameworksRoot()
    fs.writeFileSync(
      path.join(writeFrameworkFolder(extra, 'person-escort-record', '0.3.7', { risks: [radio('a')] }), 'notes.txt'),
      'x',
    )
    expect(refusal(extra)).to.match(/0\.3\.7\/notes\.txt: not a section listed/)

    const broken = frameworksRoot()
    fs.writeFileSync(
      path.join(writeFrameworkFolder(broken, 'person-escort-record', '0.3.8', { risks: [radio('a')] }), 'risks.yaml'),
      'questions: [',
    )
    expect(refusal(broken)).to.match(/^frameworks\/person-escort-record\/0\.3\.8\/risks\.yaml: /)
  })

  it('when a folder is no framework name or no version, then it is named', () => {
    const name = frameworksRoot()
    writeFrameworkFolder(name, 'escort-record', '1.0.0', { risks: [radio('a')] })
    expect(refusal(name)).to.match(/^frameworks\/escort-record: not a framework name/)
    const version = frameworksRoot()
    writeFrameworkFolder(version, 'person-escort-record', 'latest', { risks: [radio('a')] })
    expect(refusal(version)).to.match(/^frameworks\/person-escort-record\/latest: a version folder is named/)
  })

  it('when loading meets a bad file, then nothing of that load is written', async () => {
    const db = await testDb()
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'person-escort-record', '0.3.9', { risks: [radio('good')] })
    writeFrameworkFolder(root, 'youth-risk-assessment', '0.3.9', {
      risks: [{ key: 'bad', type: 'radio', question: '?' }],
    })
    await loadFrameworks(db, root).then(
      () => expect.fail('the files were accepted'),
      err => expect(err).to.be.instanceOf(FrameworkFileError),
    )
    expect(await db('frameworks').where({ version: '0.3.9' })).to.deep.equal([])
  })
})
