import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import type { Services } from '../../lib/services'
import { testApp, testClient, testServices, type TestClient } from '../support/app'
import { onPostgres } from '../support/db'

describe('Records in: the records-admin API', () => {
  const nomsId = `R${String(process.pid % 10000).padStart(4, '0')}AD`
  let services: Services
  let app: Express
  let admin: TestClient
  let nomis: TestClient
  const as = (client: TestClient) => ({
    get: (url: string) => supertest(app).get(url).set('Authorization', `Bearer ${client.token}`),
    post: (url: string) => supertest(app).post(url).set('Authorization', `Bearer ${client.token}`),
    put: (url: string) => supertest(app).put(url).set('Authorization', `Bearer ${client.token}`),
    patch: (url: string) => supertest(app).patch(url).set('Authorization', `Bearer ${client.token}`),
  })
  const records = `/nomisapi/admin/offenders/${nomsId}`
  const reception = {
    noms_id: nomsId,
    prison_id: 'LEI',
    given_name: 'DANIEL',
    surname: 'PRICE',
    date_of_birth: '1985-04-03',
    gender_code: 'M',
    housing_location: 'LEI-B-2-07',
    convicted: false,
    imprisonment_status_code: 'RX',
    iep_level_code: 'STD',
  }
  const eventTypes = async () =>
    (
      await as(nomis)
        .get(`/nomisapi/offenders/events?offender_id=${nomsId}&from_datetime=2000-01-01&limit=1000`)
        .expect(200)
    ).body.events.map((e: { type: string }) => e.type)

  before(async function () {
    this.timeout(60_000)
    services = await testServices()
    app = testApp(services)
    admin = await testClient(services, { roles: ['records-admin'] })
    nomis = await testClient(services, { roles: ['nomis'] })
  })

  it('needs the records-admin role, and the NOMIS routes still need the nomis role', async () => {
    const refused = await as(nomis).post('/nomisapi/admin/receptions').send(reception).expect(403)
    expect(refused.body).to.deep.equal({
      error: { message: 'This request needs a client with the records-admin role' },
    })
    await as(admin).get('/nomisapi/offenders/A1417AE').expect(403)
    await supertest(app).post('/nomisapi/admin/receptions').send(reception).expect(401)
  })

  it('receives a prisoner, who the NOMIS API then serves, with RECEPTION in the feed', async () => {
    const res = await as(admin).post('/nomisapi/admin/receptions').send(reception).expect(201)
    expect(res.body).to.deep.equal({ message: 'Offender received' })
    const details = await as(nomis).get(`/nomisapi/offenders/${nomsId}`).expect(200)
    expect(details.body).to.deep.include({ given_name: 'DANIEL', surname: 'PRICE', convicted: false })
    expect(details.body.iep_level).to.deep.equal({ code: 'STD', desc: 'Standard' })
    const location = await as(nomis).get(`/nomisapi/offenders/${nomsId}/location`).expect(200)
    expect(location.body.establishment).to.deep.equal({ code: 'LEI', desc: 'LEEDS (HMP)' })
    expect(
      await as(nomis).get(`/nomisapi/prison/LEI/offenders/${nomsId}/accounts`).expect(200),
    ).to.have.nested.property('body.cash', 0)
    expect(await eventTypes()).to.deep.equal(['RECEPTION'])
  })

  it('refuses a second reception, unknown codes and malformed bodies, changing nothing', async () => {
    const again = await as(admin).post('/nomisapi/admin/receptions').send(reception).expect(400)
    expect(again.body.error.message).to.equal('Offender is already in LEI; transfer them out first')
    const code = await as(admin).put(`${records}/iep_level`).send({ iep_level_code: 'GOLD' }).expect(400)
    expect(code.body).to.deep.equal({ error: { message: 'Unknown iep_level_code GOLD' } })
    const missing = await as(admin).post(`${records}/alerts`).send({ alert_type: 'X' }).expect(400)
    expect(missing.body.error.message).to.be.a('string')
    const taken = await as(admin)
      .post('/nomisapi/admin/receptions')
      .send({ ...reception, noms_id: `${nomsId.slice(0, 5)}BK`, booking_no: 'A00018' })
      .expect(409)
    expect(taken.body).to.deep.equal({ error: { message: 'Booking number A00018 is already in use' } })
    await as(nomis)
      .get(`/nomisapi/offenders/${nomsId.slice(0, 5)}BK`)
      .expect(404)
    const badId = await as(admin)
      .post('/nomisapi/admin/receptions')
      .send({ ...reception, noms_id: 'nope' })
      .expect(400)
    expect(badId.body).to.deep.equal({ error: { message: 'Invalid or missing noms_id' } })
    await as(admin).put('/nomisapi/admin/offenders/Z9999ZZ/iep_level').send({ iep_level_code: 'ENH' }).expect(404)
    expect(await eventTypes()).to.deep.equal(['RECEPTION'])
  })

  it('changes alerts, IEP level, cell, personal officer, sentence and personal details, each once in the feed', async () => {
    const alert = await as(admin)
      .post(`${records}/alerts`)
      .send({ alert_type: 'H', alert_code: 'HA', alert_date: '2026-01-05', comment: 'ACCT opened' })
      .expect(201)
    const active = await as(nomis).get(`/nomisapi/offenders/${nomsId}/alerts`).expect(200)
    expect(active.body.alerts).to.have.length(1)
    await as(admin).post(`${records}/alerts/${alert.body.id}/close`).send({ expiry_date: '2026-01-06' }).expect(200)
    expect((await as(nomis).get(`/nomisapi/offenders/${nomsId}/alerts`).expect(200)).body.alerts).to.deep.equal([])
    await as(admin).post(`${records}/alerts/${alert.body.id}/close`).send({}).expect(404)
    await as(admin).put(`${records}/iep_level`).send({ iep_level_code: 'ENH' }).expect(200)
    await as(admin).put(`${records}/housing_location`).send({ housing_location: 'LEI-C-1-02' }).expect(200)
    await as(admin).put(`${records}/personal_officer`).send({ personal_officer: 'Brady, Phill' }).expect(200)
    await as(admin)
      .put(`${records}/sentence_information`)
      .send({ convicted: true, imprisonment_status_code: 'SENT03' })
      .expect(200)
    await as(admin).patch(`${records}/personal_details`).send({ surname: 'PRYCE', religion_code: 'CE' }).expect(200)
    const details = (await as(nomis).get(`/nomisapi/offenders/${nomsId}`).expect(200)).body
    expect(details).to.deep.include({ surname: 'PRYCE', convicted: true })
    expect(details.iep_level).to.deep.equal({ code: 'ENH', desc: 'Enhanced' })
    expect(details.religion).to.deep.equal({ code: 'CE', desc: 'Church of England' })
    const housing = (await as(nomis).get(`/nomisapi/offenders/${nomsId}/location`).expect(200)).body.housing_location
    expect(housing.description).to.equal('LEI-C-1-02')
    await as(admin)
      .post(`${records}/legal_cases`)
      .send({
        active: true,
        start_date: '2026-01-05',
        court_code: 'LEEDCC',
        court_desc: 'Leeds Crown Court',
        case_type_code: 'A',
        case_type_desc: 'Adult',
        charges: [
          {
            statute_code: 'TH68',
            statute_desc: 'Theft Act 1968',
            offence_code: 'TH68010',
            offence_desc: 'Theft from a shop',
            active: true,
          },
        ],
      })
      .expect(201)
    const charges = (await as(nomis).get(`/nomisapi/offenders/${nomsId}/charges`).expect(200)).body
    expect(charges.bookings[0].legal_cases[0].charges[0].offence).to.deep.equal({
      code: 'TH68010',
      desc: 'Theft from a shop',
    })
    expect(await eventTypes()).to.deep.equal([
      'RECEPTION',
      'ALERT',
      'ALERT',
      'IEP_CHANGED',
      'INTERNAL_LOCATION_CHANGED',
      'PERSONAL_OFFICER_CHANGED',
      'SENTENCE_INFORMATION_CHANGED',
      'PERSONAL_DETAILS_CHANGED',
    ])
  })

  it('transfers a prisoner to another prison with their money, then releases them', async () => {
    await as(nomis)
      .post(`/nomisapi/prison/LEI/offenders/${nomsId}/transactions`)
      .send({ type: 'MTDS', description: 'Money to Prisoner via API', amount: 900 })
      .expect(201)
    await as(admin).post(`${records}/transfer_out`).expect(200)
    const transit = (await as(nomis).get(`/nomisapi/offenders/${nomsId}/location`).expect(200)).body
    expect(transit).to.deep.equal({ establishment: { code: 'TRN', desc: 'TRANSFER' } })
    await as(admin)
      .post('/nomisapi/admin/receptions')
      .send({ ...reception, prison_id: 'BMI', housing_location: 'BMI-A-3-01' })
      .expect(201)
    expect((await as(nomis).get(`/nomisapi/prison/BMI/offenders/${nomsId}/accounts`).expect(200)).body).to.deep.equal({
      spends: 0,
      cash: 900,
      savings: 0,
    })
    expect((await as(nomis).get('/nomisapi/prison/BMI/live_roll').expect(200)).body.noms_ids).to.include(nomsId)
    expect((await as(nomis).get('/nomisapi/prison/LEI/live_roll').expect(200)).body.noms_ids).not.to.include(nomsId)
    const reason = await as(admin).post(`${records}/discharge`).send({ reason_code: 'PAROLE' }).expect(400)
    expect(reason.body).to.deep.equal({ error: { message: 'Unknown reason_code PAROLE' } })
    await as(admin).post(`${records}/discharge`).send({ reason_code: 'CR' }).expect(200)
    await as(admin).post(`${records}/discharge`).send({ reason_code: 'CR' }).expect(400)
    const types: string[] = await eventTypes()
    expect(types.slice(-1)).to.deep.equal(['DISCHARGE'])
    expect(types.filter(t => t === 'RECEPTION')).to.have.length(2)
    expect(types.filter(t => t === 'DISCHARGE')).to.have.length(2)
  })

  it('renumbers a prisoner: the records follow, NOMS_ID_CHANGED is filed under the old id', async () => {
    const oldId = `R${String(process.pid % 10000).padStart(4, '0')}OL`
    const newId = `R${String(process.pid % 10000).padStart(4, '0')}NW`
    await as(admin)
      .post('/nomisapi/admin/receptions')
      .send({ ...reception, noms_id: oldId })
      .expect(201)
    await as(admin)
      .post(`/nomisapi/admin/offenders/${oldId}/alerts`)
      .send({ alert_type: 'X', alert_code: 'XEL', alert_date: '2026-01-05' })
      .expect(201)
    await as(nomis)
      .post(`/nomisapi/prison/LEI/offenders/${oldId}/transactions`)
      .send({ type: 'MTDS', description: 'x', amount: 250 })
      .expect(201)
    const bad = await as(admin)
      .post(`/nomisapi/admin/offenders/${oldId}/noms_id`)
      .send({ new_noms_id: 'bad' })
      .expect(400)
    expect(bad.body).to.deep.equal({ error: { message: 'Invalid or missing noms_id' } })
    await as(admin).post(`/nomisapi/admin/offenders/${oldId}/noms_id`).send({ new_noms_id: 'A1417AE' }).expect(409)
    await as(admin).post(`/nomisapi/admin/offenders/${oldId}/noms_id`).send({ new_noms_id: newId }).expect(200)
    await as(nomis).get(`/nomisapi/offenders/${oldId}`).expect(404)
    expect((await as(nomis).get(`/nomisapi/offenders/${newId}/alerts`).expect(200)).body.alerts).to.have.length(1)
    expect((await as(nomis).get(`/nomisapi/prison/LEI/offenders/${newId}/accounts`).expect(200)).body.cash).to.equal(
      250,
    )
    const events = (
      await as(nomis).get(`/nomisapi/offenders/events?offender_id=${oldId}&event_type=NOMS_ID_CHANGED`).expect(200)
    ).body.events
    expect(events).to.have.length(1)
    expect(events[0]).to.deep.include({
      noms_id: oldId,
      prison_id: 'LEI',
      noms_id_changed: { noms_id_change: { old_noms_id: oldId, new_noms_id: newId } },
    })
  })

  ;(onPostgres ? it : it.skip)('receives a new prisoner once when 8 receptions race (PostgreSQL)', async () => {
    const racer = `R${String(process.pid % 10000).padStart(4, '0')}RC`
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        as(admin)
          .post('/nomisapi/admin/receptions')
          .send({ ...reception, noms_id: racer }),
      ),
    )
    expect(results.filter(r => r.status === 201)).to.have.length(1)
    expect(results.filter(r => r.status === 409 || r.status === 400)).to.have.length(7)
    const types: string[] = (
      await as(nomis).get(`/nomisapi/offenders/events?offender_id=${racer}`).expect(200)
    ).body.events.map((e: { type: string }) => e.type)
    expect(types).to.deep.equal(['RECEPTION'])
  })
})
