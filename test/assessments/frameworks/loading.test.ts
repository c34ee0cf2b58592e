import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import { FrameworkChangedError, loadFrameworks } from '../../../lib/assessments/frameworkLoader'
import { loadFramework } from '../../../lib/assessments/frameworks'
import type { Db } from '../../../db/client'
import { onPostgres, secondConnection, testDb } from '../../support/db'
import { frameworksRoot, nestedQuestions, writeFrameworkFolder } from '../../support/frameworks'

describe('Frameworks: loading the version folders into the database at start', () => {
  let db: Db

  before(async () => {
    db = await testDb()
  })

  const storedVersions = async (version: string) =>
    db('frameworks').where({ name: 'youth-risk-assessment', version }).select('id', 'digest')

  it("when the repository's frameworks are loaded again, then nothing is inserted and the stored versions are whole", async () => {
    expect(await loadFrameworks(db)).to.deep.equal([])
    const per = await loadFramework(db, 'person-escort-record', '1.0.0')
    expect(per!.questions).to.have.length(60)
    expect(per!.sections).to.deep.equal([
      'risk-information',
      'offence-information',
      'health-information',
      'property-information',
    ])
  })

  it('when a new version folder is added, then it alone is loaded, with its dependents, flags and NOMIS codes', async () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.1', { risks: nestedQuestions(2, 'first') })
    expect(await loadFrameworks(db, root)).to.deep.equal([{ name: 'youth-risk-assessment', version: '0.2.1' }])
    writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.2', {
      risks: [
        ...nestedQuestions(2, 'second'),
        { key: 'second-alerts', type: 'textarea', question: 'Alerts', nomis: { alert: ['XEL'], fallback: ['alert'] } },
      ],
    })
    expect(await loadFrameworks(db, root)).to.deep.equal([{ name: 'youth-risk-assessment', version: '0.2.2' }])

    const framework = (await loadFramework(db, 'youth-risk-assessment', '0.2.2'))!
    const byKey = new Map(framework.questions.map(q => [q.key, q]))
    expect(framework.questions.map(q => q.key)).to.deep.equal([
      'second-0',
      'second-0-two',
      'second-0-three',
      'second-1',
      'second-1-two',
      'second-1-three',
      'second-alerts',
    ])
    expect(byKey.get('second-0-two')).to.deep.include({ parent_id: byKey.get('second-0')!.id, dependent_value: 'Yes' })
    expect(byKey.get('second-0')!.dependent_ids).to.deep.equal([byKey.get('second-0-two')!.id])
    expect(framework.flags.map(f => [f.title, f.question_value])).to.deep.equal([
      ['Flag 0', 'Yes'],
      ['Flag 1', 'Yes'],
    ])
    expect(framework.nomisCodes.map(c => [c.code_type, c.code, c.fallback])).to.have.deep.members([
      ['alert', 'XEL', false],
      ['alert', null, true],
    ])
  })

  it("when a loaded version's files change, then loading refuses, naming the version and its folder, and the stored version stays", async () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.3', { risks: nestedQuestions(1, 'kept') })
    await loadFrameworks(db, root)
    const [before] = await storedVersions('0.2.3')

    const directory = writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.3', {
      risks: nestedQuestions(2, 'kept'),
    })
    const error = await loadFrameworks(db, root).then(
      () => undefined,
      (err: Error) => err,
    )
    expect(error).to.be.instanceOf(FrameworkChangedError)
    expect(error!.message)
      .to.contain('youth-risk-assessment 0.2.3')
      .and.contain(directory)
      .and.contain('new version folder')
    expect(await storedVersions('0.2.3')).to.deep.equal([before])
    expect((await loadFramework(db, 'youth-risk-assessment', '0.2.3'))!.questions).to.have.length(3)
  })

  it('when only comments in a loaded version change, then it still loads: what is compared is the content', async () => {
    const root = frameworksRoot()
    const directory = writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.4', {
      risks: nestedQuestions(1, 'noted'),
    })
    await loadFrameworks(db, root)
    const file = path.join(directory, 'risks.yaml')
    fs.writeFileSync(file, `# A note for the reader\n${fs.readFileSync(file, 'utf8')}`)
    expect(await loadFrameworks(db, root)).to.deep.equal([])
  })

  ;(onPostgres ? describe : describe.skip)('under concurrency (PostgreSQL)', () => {
    it('when two processes load the same new versions together, then each version is stored once, whole', async () => {
      const root = frameworksRoot()
      writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.5', { risks: nestedQuestions(50, 'race') })
      writeFrameworkFolder(root, 'youth-risk-assessment', '0.2.6', { risks: nestedQuestions(50, 'race') })
      const other = secondConnection()
      try {
        const [mine, theirs] = await Promise.all([loadFrameworks(db, root), loadFrameworks(other, root)])
        expect([...mine, ...theirs].map(v => v.version).sort()).to.deep.equal(['0.2.5', '0.2.6'])
      } finally {
        await other.destroy()
      }
      for (const version of ['0.2.5', '0.2.6']) {
        expect(await storedVersions(version)).to.have.length(1)
        expect((await loadFramework(db, 'youth-risk-assessment', version))!.questions).to.have.length(150)
      }
    })
  })
})
