import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aPerson } from '../support/builders'

let sequence = 0
const nomsId = () => `Z${String(process.pid % 10000).padStart(4, '0')}${String.fromCharCode(65 + (++sequence % 26))}Z`

describe('Book a Secure Move: people and profiles', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  /** A prisoner record of our own, with the given alerts. */
  async function prisoner(alerts: { code: string; type?: string; status?: string; date?: string }[]) {
    const noms_id = nomsId()
    await services.db('offenders').insert({
      noms_id,
      given_name: 'SAM',
      surname: 'RECORD',
      date_of_birth: '1990-01-01',
      gender_code: 'F',
      pnc_number: `90/${noms_id}`,
    })
    if (alerts.length) {
      await services.db('offender_alerts').insert(
        alerts.map(a => ({
          noms_id,
          alert_type: a.type ?? 'X',
          alert_code: a.code,
          alert_date: a.date ?? '2020-01-01',
          status: a.status ?? 'ACTIVE',
        })),
      )
    }
    const found = await as(app, frontend).get('/api/people').query({ 'filter[prison_number]': noms_id }).expect(200)
    return { noms_id, personId: found.body.data[0].id as string }
  }

  const createProfile = (personId: string, attributes?: unknown) =>
    as(app, frontend)
      .post(`/api/people/${personId}/profiles`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'profiles', ...(attributes ? { attributes } : {}) } })

  describe('finding people', () => {
    it("when people are found by the walkthrough prisoner's PNC or CRO number, then it is the same person", async () => {
      const byPnc = await as(app, frontend)
        .get('/api/people')
        .query({ 'filter[police_national_computer]': '14/120018R' })
        .expect(200)
      const byCro = await as(app, frontend)
        .get('/api/people')
        .query({ 'filter[criminal_records_office]': '351774/14D', include: 'ethnicity,gender' })
        .expect(200)
      expect(byPnc.body.data).to.have.length(1)
      expect(byCro.body.data[0].id).to.equal(byPnc.body.data[0].id)
      expect(byCro.body.included.map((r: { id: string }) => r.id)).to.have.members([
        walkthroughIds.ethnicityW1,
        walkthroughIds.genderMale,
      ])
    })

    it('when nobody has the prison number, then the list is empty', async () => {
      const res = await as(app, frontend).get('/api/people').query({ 'filter[prison_number]': 'A0000AA' }).expect(200)
      expect(res.body.data).to.deep.equal([])
    })

    it('when GET /people/{id} is asked for on version 1, then it is 406; on version 2 it is the person', async () => {
      const id = await aPerson(world)
      await as(app, frontend).get(`/api/people/${id}`).set('Accept', 'application/vnd.api+json; version=1').expect(406)
      const res = await as(app, frontend).get(`/api/people/${id}`).expect(200)
      expect(res.body.data.attributes).to.include({ first_names: 'ALEX', last_name: 'TESTER' })
      await as(app, frontend).get(`/api/people/${crypto.randomUUID()}`).expect(404)
    })
  })

  describe('creating and changing people', () => {
    it('when a name is blank, a birth date too old or a prison number has a colon, then it is 422 with pointers', async () => {
      const res = await as(app, frontend)
        .post('/api/people')
        .set('Idempotency-Key', key())
        .send({
          data: { type: 'people', attributes: { last_name: ' ', date_of_birth: '1850-01-01', prison_number: 'A:1' } },
        })
        .expect(422)
      expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
        '/data/attributes/first_names',
        '/data/attributes/last_name',
        '/data/attributes/date_of_birth',
        '/data/attributes/prison_number',
      ])
    })

    it('when a person is updated, then attributes and relationships change; an unknown gender is 404, a taken prison number 422', async () => {
      const id = await aPerson(world)
      const patch = (data: Record<string, unknown>) =>
        as(app, frontend)
          .patch(`/api/people/${id}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'people', id, ...data } })
      const ok = await patch({
        attributes: { last_name: 'RENAMED', date_of_birth: '1980-05-06' },
        relationships: { gender: { data: { type: 'genders', id: walkthroughIds.genderMale } } },
      }).expect(200)
      expect(ok.body.data.attributes).to.include({ last_name: 'RENAMED', date_of_birth: '1980-05-06' })
      expect(ok.body.data.relationships.gender.data.id).to.equal(walkthroughIds.genderMale)
      await patch({ relationships: { gender: { data: { type: 'genders', id: crypto.randomUUID() } } } }).expect(404)
      const taken = await patch({ attributes: { prison_number: 'G8133UA' } }).expect(422)
      expect(taken.body.errors[0]).to.include({ code: 'taken' })
      const row = await services.db('people').where({ id }).first('last_name', 'prison_number')
      expect(row).to.deep.equal({ last_name: 'RENAMED', prison_number: null })
    })
  })

  describe('profiles', () => {
    it('when a profile is created, then only active alerts are imported, an unmapped code as an other risk', async () => {
      const { personId } = await prisoner([
        { code: 'XEL', date: '2020-01-02' },
        { code: 'NOPE', date: '2020-01-03' },
        { code: 'HA', status: 'INACTIVE' },
      ])
      const res = await createProfile(personId).expect(201)
      const answers = res.body.data.attributes.assessment_answers
      expect(answers.map((a: { key: string; nomis_alert_code: string }) => [a.key, a.nomis_alert_code])).to.deep.equal([
        ['escape', 'XEL'],
        ['other_risks', 'NOPE'],
      ])
      expect(answers.every((a: { imported_from_nomis: boolean }) => a.imported_from_nomis)).to.equal(true)
    })

    it('when answers are given by hand, then they are kept; an unknown question is 422', async () => {
      const { personId } = await prisoner([{ code: 'XEL' }])
      const res = await createProfile(personId, {
        assessment_answers: [{ assessment_question_id: walkthroughIds.violent, comments: 'seen by staff' }],
      }).expect(201)
      expect(res.body.data.attributes.assessment_answers).to.deep.equal([
        {
          title: 'Violent',
          comments: 'seen by staff',
          created_at: null,
          expires_at: null,
          assessment_question_id: walkthroughIds.violent,
          category: 'risk',
          key: 'violent',
          nomis_alert_type: null,
          nomis_alert_code: null,
          nomis_alert_type_description: null,
          nomis_alert_description: null,
          imported_from_nomis: false,
        },
      ])
      const bad = await createProfile(personId, {
        assessment_answers: [{ assessment_question_id: crypto.randomUUID() }],
      }).expect(422)
      expect(bad.body.errors[0].source.pointer).to.equal('/data/attributes/assessment_answers/0/assessment_question_id')
    })

    it('when a profile is patched, then manual answers are kept and imported ones replaced by the current alerts', async () => {
      const { noms_id, personId } = await prisoner([{ code: 'XEL' }])
      const created = await createProfile(personId).expect(201)
      const profileId = created.body.data.id
      const patch = (attributes?: unknown) =>
        as(app, frontend)
          .patch(`/api/people/${personId}/profiles/${profileId}`)
          .set('Idempotency-Key', key())
          .send({ data: { type: 'profiles', id: profileId, ...(attributes ? { attributes } : {}) } })
      await patch({
        assessment_answers: [{ assessment_question_id: walkthroughIds.healthIssue, comments: 'asthma' }],
      }).expect(200)
      await services.db('offender_alerts').where({ noms_id }).update({ status: 'INACTIVE' })
      await services.db('offender_alerts').insert({
        noms_id,
        alert_type: 'R',
        alert_code: 'ROM',
        alert_date: '2021-01-01',
        status: 'ACTIVE',
      })
      const res = await patch().expect(200)
      const answers = res.body.data.attributes.assessment_answers
      expect(
        answers.map((a: { key: string; imported_from_nomis: boolean }) => [a.key, a.imported_from_nomis]),
      ).to.deep.equal([
        ['violent', true],
        ['health_issue', false],
      ])
      expect(answers[1].comments).to.equal('asthma')
    })

    it("when the profile is another person's or the person unknown, then it is 404", async () => {
      const { personId } = await prisoner([])
      const other = await aPerson(world)
      const profile = (await createProfile(other).expect(201)).body.data.id
      await as(app, frontend)
        .patch(`/api/people/${personId}/profiles/${profile}`)
        .set('Idempotency-Key', key())
        .send({ data: { type: 'profiles', id: profile } })
        .expect(404)
      await createProfile(crypto.randomUUID()).expect(404)
    })
  })
})
