import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, aPerson, aProfile, patch, post } from '../support/builders'
import { answerAll, anAssessment, confirmBody, responseBody, responsesOf, responseTo } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: prefill', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when the person has a confirmed record, then a new one copies its answers to prefill questions, prefilled but not responded', async () => {
    const personId = await aPerson(world)
    const first = await anAssessment(world, { move: { profileId: await aProfile(world, { personId }) } })
    await answerAll(world, first.id)
    const cash = responseTo(await responsesOf(world, first.id), 'violence-towards-staff')
    const answer = { option: 'Yes', details: 'Spat at an officer' }
    await patch(world, world.frontend, `/api/framework_responses/${cash.id}`).send(responseBody(answer)).expect(200)
    await patch(world, world.frontend, `/api/person_escort_records/${first.id}`)
      .send(confirmBody('person_escort_records'))
      .expect(200)

    const second = await anAssessment(world, { move: { profileId: await aProfile(world, { personId }) } })
    expect(second.body.data.relationships.prefill_source.data).to.deep.equal({
      type: 'person_escort_records',
      id: first.id,
    })
    const responses = await responsesOf(world, second.id)
    expect(responseTo(responses, 'violence-towards-staff')).to.deep.include({
      value: answer,
      prefilled: true,
      responded: false,
    })
    // Not a prefill question: left for this move's answer.
    expect(responseTo(responses, 'fit-to-travel')).to.deep.include({ value: null, prefilled: false })
    expect(second.body.data.attributes.status).to.equal('not_started')
  })

  it('when the person has no confirmed record, then nothing is prefilled and there is no prefill source', async () => {
    const { id, body } = await anAssessment(world)
    expect(body.data.relationships.prefill_source.data).to.equal(null)
    expect((await responsesOf(world, id)).filter(r => r.prefilled)).to.deep.equal([])
  })

  it('when the move leaves a prison, then the person’s active NOMIS alerts prefill the questions their codes map to, each mapping kept', async () => {
    const records = await world.clientWith({ roles: ['records-admin'] })
    const nomsId = `A${String(Date.now() % 10000).padStart(4, '0')}PF`
    await as(world.app, records)
      .post('/nomisapi/admin/receptions')
      .send({
        noms_id: nomsId,
        prison_id: 'LEI',
        given_name: 'PAT',
        surname: 'PREFILL',
        date_of_birth: '1990-02-03',
        gender_code: 'M',
        housing_location: 'LEI-A-1-01',
        convicted: true,
        imprisonment_status_code: 'RX',
        iep_level_code: 'STD',
      })
      .expect(201)
    const alert = (body: Record<string, unknown>) =>
      as(world.app, records).post(`/nomisapi/admin/offenders/${nomsId}/alerts`).send(body).expect(201)
    await alert({ alert_type: 'R', alert_code: 'RSS', alert_date: '2024-01-10', comment: 'Assaulted staff' })
    await alert({ alert_type: 'X', alert_code: 'XA', alert_date: '2019-01-10', expiry_date: '2020-01-10' })
    await alert({ alert_type: 'DISAB', alert_code: 'ND', alert_date: '2023-05-01' })

    const personId = await aPerson(world, { attributes: { prison_number: nomsId } })
    const move = await aMove(world, { from: 'bsi', profileId: await aProfile(world, { personId }) })
    const res = await post(world, world.frontend, '/api/person_escort_records')
      .query({ include: 'responses.nomis_mappings' })
      .send({
        data: {
          type: 'person_escort_records',
          relationships: { move: { data: { type: 'moves', id: move.id } } },
        },
      })
      .expect(201)
    expect(res.body.data.attributes.nomis_sync_status).to.have.length(1)
    expect(res.body.data.attributes.nomis_sync_status[0]).to.include({ resource_type: 'alerts', status: 'success' })
    const mappings = (res.body.included as { type: string; attributes: { code: string; code_description: string } }[])
      .filter(r => r.type === 'framework_nomis_mappings')
      .map(r => r.attributes)
    expect(mappings.map(m => m.code)).to.have.members(['RSS', 'ND'])
    expect(mappings.find(m => m.code === 'RSS')!.code_description).to.equal('Risk to Staff - Custody')

    const responses = await responsesOf(world, res.body.data.id)
    const staff = responseTo(responses, 'violence-towards-staff')
    expect(staff).to.deep.include({ value: { option: 'Yes' }, prefilled: true, responded: false })
    // The code no question names goes to the fallback question, which it does not answer.
    expect(responseTo(responses, 'other-risks')).to.deep.include({ value: null, prefilled: false })
    expect(responseTo(responses, 'arson').prefilled).to.equal(false)
    // NOMIS stands for the comment the option otherwise needs.
    await patch(world, world.frontend, `/api/framework_responses/${staff.id}`)
      .send(responseBody({ option: 'Yes' }))
      .expect(200)
  })
})
