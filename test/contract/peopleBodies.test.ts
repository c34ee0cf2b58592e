import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aPerson, aProfile } from '../support/builders'
import { attr, itRefuses, rel, withMember, type RefusedCase } from './bodies'

/** The people and profile bodies against openapi.yaml (PersonCreate, PersonUpdate, ProfileWrite). */
describe('Contract: people and profile request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let personId: string
  let profileId: string

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend } = world)
    personId = await aPerson(world)
    profileId = await aProfile(world, { personId: personId })
  })

  const state = async () => ({
    people: Number((await services.db('people').count('* as n').first())!.n),
    profiles: Number((await services.db('profiles').count('* as n').first())!.n),
    person: await services.db('people').where({ id: personId }).first(),
    profile: await services.db('profiles').where({ id: profileId }).first(),
  })

  /** Wrong types and values of every person member; both the create and the update refuse them. */
  const personCases: RefusedCase[] = [
    { when: 'first_names is blank', path: attr('first_names'), value: '  ' },
    { when: 'first_names is a number', path: attr('first_names'), value: 5 },
    { when: 'first_names is null', path: attr('first_names'), value: null },
    { when: 'last_name is blank', path: attr('last_name'), value: '' },
    { when: 'date_of_birth is before 1900', path: attr('date_of_birth'), value: '1899-12-31' },
    { when: 'date_of_birth is not a calendar date', path: attr('date_of_birth'), value: '2001-02-29' },
    { when: 'date_of_birth is a number', path: attr('date_of_birth'), value: 2001 },
    { when: 'prison_number has a colon', path: attr('prison_number'), value: 'G8133:UA' },
    { when: 'prison_number is a number', path: attr('prison_number'), value: 8133 },
    { when: 'gender_additional_information is a boolean', path: attr('gender_additional_information'), value: true },
    { when: 'criminal_records_office is a number', path: attr('criminal_records_office'), value: 351774 },
    { when: 'police_national_computer is a list', path: attr('police_national_computer'), value: ['14/120018R'] },
    { when: 'the gender names an ethnicity', path: rel('gender', 'data', 'type'), value: 'ethnicities' },
    { when: 'the gender id is not a UUID', path: rel('gender', 'data', 'id'), value: 'M' },
    { when: 'the ethnicity names a gender', path: rel('ethnicity', 'data', 'type'), value: 'genders' },
    { when: 'the ethnicity has no data', path: rel('ethnicity', 'data'), value: undefined },
  ]
  const personBody = (id?: string) => ({
    data: {
      type: 'people',
      ...(id ? { id } : {}),
      attributes: { first_names: 'ALEX', last_name: 'TESTER', date_of_birth: '1990-01-01', prison_number: null },
      relationships: {
        gender: { data: { type: 'genders', id: walkthroughIds.genderMale } },
        ethnicity: { data: { type: 'ethnicities', id: walkthroughIds.ethnicityW1 } },
      },
    },
  })

  describe('POST /api/people (createPerson)', () => {
    const send = (body: unknown) =>
      as(app, frontend)
        .post('/api/people')
        .set('Idempotency-Key', key())
        .send(body as object)
    itRefuses(
      [
        ...personCases,
        { when: 'first_names is missing', path: attr('first_names'), value: undefined },
        { when: 'last_name is missing', path: attr('last_name'), value: undefined },
      ],
      { body: () => personBody(), send, state },
    )

    it('when an attribute is not declared, then it is ignored: 201, and it is stored nowhere', async () => {
      const res = await send(withMember(personBody(), attr('nickname'), 'SECRET-NICKNAME')).expect(201)
      const row = await services.db('people').where({ id: res.body.data.id }).first()
      expect(JSON.stringify(row)).not.to.include('SECRET-NICKNAME')
    })
  })

  describe('PATCH /api/people/{id} (updatePerson)', () => {
    const send = (body: unknown) =>
      as(app, frontend)
        .patch(`/api/people/${personId}`)
        .set('Idempotency-Key', key())
        .send(body as object)
    itRefuses(personCases, { body: () => personBody(personId), send, state })

    it('when only some attributes are sent, then the others are kept; an undeclared one is ignored', async () => {
      const res = await send({
        data: { type: 'people', id: personId, attributes: { last_name: 'CHANGED', id: 'not-this' } },
      }).expect(200)
      expect(res.body.data).to.include({ id: personId })
      expect(res.body.data.attributes).to.include({ first_names: 'ALEX', last_name: 'CHANGED' })
    })
  })

  describe('POST and PATCH /api/people/{id}/profiles (createProfile, updateProfile)', () => {
    const body = () => ({
      data: {
        type: 'profiles',
        attributes: { assessment_answers: [{ assessment_question_id: walkthroughIds.violent, comments: 'x' }] },
      },
    })
    const cases: RefusedCase[] = [
      { when: 'assessment_answers is not a list', path: attr('assessment_answers'), value: 'none' },
      { when: 'assessment_answers is null', path: attr('assessment_answers'), value: null },
      {
        when: 'an answer names no question',
        path: attr('assessment_answers', 0, 'assessment_question_id'),
        value: undefined,
      },
      {
        when: 'an answer question id is not a UUID',
        path: attr('assessment_answers', 0, 'assessment_question_id'),
        value: 'violent',
      },
      { when: 'an answer comment is a number', path: attr('assessment_answers', 0, 'comments'), value: 5 },
      { when: 'an answer is not an object', path: attr('assessment_answers', 0), value: 'violent' },
    ]
    describe('create', () => {
      itRefuses(cases, {
        body,
        send: b =>
          as(app, frontend)
            .post(`/api/people/${personId}/profiles`)
            .set('Idempotency-Key', key())
            .send(b as object),
        state,
      })
    })
    describe('update', () => {
      itRefuses(cases, {
        body: () => withMember(body(), ['data', 'id'], profileId),
        send: b =>
          as(app, frontend)
            .patch(`/api/people/${personId}/profiles/${profileId}`)
            .set('Idempotency-Key', key())
            .send(b as object),
        state,
      })
    })

    it('when an answer or the profile carries undeclared members, then they are ignored and stored nowhere', async () => {
      const res = await as(app, frontend)
        .post(`/api/people/${personId}/profiles`)
        .set('Idempotency-Key', key())
        .send(
          withMember(
            withMember(body(), attr('assessment_answers', 0, 'imported_from_nomis'), 'SECRET-FLAG'),
            attr('requires_youth_risk_assessment'),
            'SECRET-YRA',
          ),
        )
        .expect(201)
      const row = await services.db('profiles').where({ id: res.body.data.id }).first()
      expect(JSON.stringify(row)).not.to.include('SECRET')
      expect(row.assessment_answers[0]).to.include({ imported_from_nomis: false, comments: 'x' })
    })
  })
})
