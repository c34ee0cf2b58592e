import { expect } from 'chai'
import type { Express } from 'express'
import { loadFrameworks } from '../../../lib/assessments/frameworkLoader'
import type { Services } from '../../../lib/services'
import { as, type TestClient } from '../../support/app'
import { countQueries } from '../../support/db'
import { frameworksRoot, nestedQuestions, writeFrameworkFolder } from '../../support/frameworks'
import { testWorld } from '../../support/world'

type Resource = {
  type: string
  id: string
  attributes: Record<string, unknown>
  relationships: Record<string, { data: { type: string; id: string } | { type: string; id: string }[] | null }>
}

describe('Reference data: frameworks', () => {
  let services: Services
  let app: Express
  let frontend: TestClient
  let serco: TestClient
  let per: Resource
  let yra: Resource

  before(async () => {
    ;({ services, app, frontend, serco } = await testWorld())
    const res = await as(app, frontend).get('/api/reference/frameworks?per_page=100').expect(200)
    const listed = res.body.data as Resource[]
    per = listed.find(f => f.attributes.name === 'person-escort-record' && f.attributes.version === '1.0.0')!
    yra = listed.find(f => f.attributes.name === 'youth-risk-assessment' && f.attributes.version === '1.0.0')!
  })

  it("when the frameworks are listed, then each version loaded from the repository's files is there, newest version first", async () => {
    const res = await as(app, serco).get('/api/reference/frameworks?per_page=100').expect(200)
    const versions = (res.body.data as Resource[]).map(f => f.attributes.version as string)
    const numeric = versions.map(v => v.split('.').map(Number))
    const sorted = [...numeric].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!)
    expect(numeric).to.deep.equal(sorted)
    expect(per.type).to.equal('frameworks')
    expect(per.relationships.questions.data).to.have.length(60)
    expect(yra.relationships.questions.data).to.have.length(12)
    expect(res.body.meta.pagination.total_objects).to.equal(versions.length)
  })

  it('when the list is asked for an include, then it is 400: the reference allows none there', async () => {
    const res = await as(app, frontend).get('/api/reference/frameworks?include=questions').expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'include' })
  })

  it('when one framework is fetched with its questions, descendants and flags, then the questions carry their shape and links', async () => {
    const res = await as(app, frontend)
      .get(`/api/reference/frameworks/${per.id}?include=questions,questions.descendants,questions.flags`)
      .expect(200)
    expect(res.body.data).to.deep.include({ type: 'frameworks', id: per.id })
    const included = res.body.included as Resource[]
    const questions = included.filter(r => r.type === 'framework_questions')
    const flags = included.filter(r => r.type === 'framework_flags')
    expect(questions).to.have.length(60)
    const byKey = new Map(questions.map(q => [q.attributes.key, q]))

    const weapons = byKey.get('weapons')!
    expect(weapons.attributes).to.deep.equal({
      key: 'weapons',
      section: 'risk-information',
      question_type: 'radio',
      options: ['Yes', 'No'],
      response_type: 'object::followup_comment',
    })
    expect(weapons.relationships.framework.data).to.deep.equal({ type: 'frameworks', id: per.id })
    expect(weapons.relationships.descendants.data).to.deep.equal([
      { type: 'framework_questions', id: byKey.get('weapon-kinds')!.id },
    ])
    const [weaponsFlag] = weapons.relationships.flags.data as { id: string }[]
    expect(flags.find(f => f.id === weaponsFlag!.id)).to.deep.include({
      attributes: { flag_type: 'alert', title: 'Weapons', question_value: 'Yes' },
      relationships: { question: { data: { type: 'framework_questions', id: weapons.id } } },
    })
    expect(byKey.get('medication-details')!.attributes.response_type).to.equal('collection::add_multiple_items')
    expect((byKey.get('medication-details')!.relationships.descendants.data as unknown[]).length).to.equal(3)
    expect(new Set(flags.map(f => f.attributes.flag_type))).to.deep.equal(
      new Set(['information', 'attention', 'warning', 'alert']),
    )
  })

  it('when a framework is fetched without include, then its questions are linked but not included', async () => {
    const res = await as(app, frontend).get(`/api/reference/frameworks/${yra.id}`).expect(200)
    expect(res.body.data.relationships.questions.data).to.have.length(12)
    expect(res.body).not.to.have.property('included')
  })

  it('when an unknown framework or an unsupported include is asked for, then it is 404 or 400', async () => {
    await as(app, frontend).get('/api/reference/frameworks/7d1b4a52-0c4e-4f59-9a36-5e0f4d6c2b11').expect(404)
    await as(app, frontend).get(`/api/reference/frameworks/${per.id}?include=questions.responses`).expect(400)
  })

  it('when a framework of 300 questions and one of 3, both three levels deep, are fetched with every include, then both take the same number of statements', async () => {
    const root = frameworksRoot()
    writeFrameworkFolder(root, 'person-escort-record', '0.1.1', { risks: nestedQuestions(1, 'small') })
    writeFrameworkFolder(root, 'person-escort-record', '0.1.2', { risks: nestedQuestions(100, 'large') })
    await loadFrameworks(services.db, root)
    const idOf = async (version: string) =>
      (await services.db('frameworks').where({ name: 'person-escort-record', version }).first('id')).id as string
    const include = 'questions,questions.flags,questions.descendants.**,questions.descendants.flags'
    const fetch = async (id: string) => {
      let included = 0
      const count = await countQueries(services, async () => {
        const res = await as(app, frontend).get(`/api/reference/frameworks/${id}?include=${include}`).expect(200)
        included = res.body.included.length
      })
      return { count, included }
    }
    const small = await fetch(await idOf('0.1.1'))
    const large = await fetch(await idOf('0.1.2'))
    expect([small.included, large.included]).to.deep.equal([3 + 1, 300 + 100])
    expect(large.count).to.equal(small.count)
  })
})
