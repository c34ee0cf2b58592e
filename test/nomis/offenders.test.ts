import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

describe('NOMIS API: offenders', () => {
  let world: World
  let app: Express
  let nomis: TestClient
  const get = (url: string) => supertest(app).get(url).set('Authorization', `Bearer ${nomis.token}`)

  before(async function () {
    // The first file to run migrates and seeds the shared database.
    this.timeout(60_000)
    world = await testWorld()
    ;({ app } = world)
    nomis = await world.clientWith({ roles: ['nomis'] })
  })

  it('when the token is missing or the client lacks the nomis role, then it is 401 or 403, in the NOMIS shape', async () => {
    const none = await supertest(app).get('/nomisapi/offenders/A1417AE').expect(401)
    expect(none.body).to.deep.equal({ error: { message: 'Token expired or invalid' } })
    const other = await world.clientWith({})
    const res = await supertest(app)
      .get('/nomisapi/offenders/A1417AE')
      .set('Authorization', `Bearer ${other.token}`)
      .expect(403)
    expect(res.body.error.message).to.match(/nomis role/)
  })

  it('when GET /offenders/A1417AE is asked for, then it answers the seed example', async () => {
    const res = await get('/nomisapi/offenders/A1417AE')
      .expect(200)
      .expect('Content-Type', /application\/json/)
    expect(res.body).to.deep.equal({
      given_name: 'JENIFER',
      middle_names: 'ESMERALADA JANE',
      surname: 'HALLIBUT',
      date_of_birth: '1970-01-01',
      aliases: [
        { given_name: 'JILLY', surname: 'HALLS', date_of_birth: '1969-01-01' },
        { given_name: 'JANE', surname: 'HALLIWELL', date_of_birth: '1968-09-02' },
        { given_name: 'JILLY', surname: 'HALL', date_of_birth: '1971-05-01' },
        { given_name: 'JILLY', surname: 'HALL', date_of_birth: '1970-01-01' },
      ],
      gender: { code: 'F', desc: 'Female' },
      nationalities: 'American, Irish',
      religion: { code: 'ATHE', desc: 'Atheist' },
      ethnicity: { code: 'W1', desc: 'White: Eng./Welsh/Scot./N.Irish/British' },
      language: { preferred_spoken: { code: 'LAV', desc: 'Latvian' }, interpreter_required: true },
      csra: { code: 'HI', desc: 'High' },
      convicted: true,
      cro_number: 'ADF567890',
      imprisonment_status: { code: 'SENT03', desc: 'Adult Imprisonment Without Option CJA03' },
      iep_level: { code: 'ENH', desc: 'Enhanced' },
      diet: { code: 'DIAB', desc: 'Medical - Diabetic' },
      security_category: { code: 'A', desc: 'Cat A' },
    })
  })

  for (const path of ['', '/location', '/image', '/charges', '/alerts', '/pss_detail']) {
    it(`answers 404 Offender Not Found and 400 Invalid or missing noms_id on GET /offenders/{noms_id}${path}`, async () => {
      const missing = await get(`/nomisapi/offenders/Z9999ZZ${path}`).expect(404)
      expect(missing.body).to.deep.equal({ error: { message: 'Offender Not Found' } })
      const invalid = await get(`/nomisapi/offenders/a1417ae1${path}`).expect(400)
      expect(invalid.body).to.deep.equal({ error: { message: 'Invalid or missing noms_id' } })
    })
  }

  it('when GET /offenders/A1417AE/location is asked for, then it answers the seed example', async () => {
    const res = await get('/nomisapi/offenders/A1417AE/location').expect(200)
    expect(res.body).to.deep.equal({
      establishment: { code: 'BMI', desc: 'BIRMINGHAM (HMP)' },
      housing_location: {
        description: 'BMI-C-2-03',
        levels: [
          { type: 'Wing', value: 'C' },
          { type: 'Landing', value: '2' },
          { type: 'Cell', value: '03' },
        ],
      },
    })
  })

  it('when the offender is released, then their location is OUTSIDE', async () => {
    const res = await get('/nomisapi/offenders/A1477AE/location').expect(200)
    expect(res.body).to.deep.equal({ establishment: { code: 'OUT', desc: 'OUTSIDE' } })
  })

  it('when the image is asked for, then it is base64, or null when there is none', async () => {
    const res = await get('/nomisapi/offenders/A1417AE/image').expect(200)
    expect(Buffer.from(res.body.image, 'base64').subarray(0, 2).toString('hex')).to.equal('ffd8')
    const none = await get('/nomisapi/offenders/A1404AE/image').expect(200)
    expect(none.body).to.deep.equal({ image: null })
  })

  it('when GET /offenders/A1417AE/charges is asked for, then it answers the seed example, current booking first', async () => {
    const res = await get('/nomisapi/offenders/A1417AE/charges').expect(200)
    expect(res.body.bookings.map((b: { booking_no: string }) => b.booking_no)).to.deep.equal(['A00063', 'A00018'])
    expect(res.body.bookings[0]).to.deep.include({ booking_active: true, booking_started: '2016-08-31' })
    expect(res.body.bookings[0].legal_cases).to.deep.equal([
      {
        case_active: true,
        case_started: '2016-10-17',
        court: { code: 'ABDRCT', desc: 'Aberdare County Court' },
        legal_case_type: { code: 'A', desc: 'Adult' },
        charges: [
          {
            statute: { code: 'PL96', desc: 'Police Act 1996' },
            offence: { code: 'PL96001', desc: 'Assault a constable in the execution of his / her duty' },
            most_serious: true,
            charge_active: true,
            severity_ranking: '100',
            result: { code: '1002', desc: 'Imprisonment' },
            disposition: { code: 'F', desc: 'Final' },
            convicted: true,
            imprisonment_status: { code: 'UNK_SENT', desc: 'Unknown Sentenced' },
            band: { code: '2', desc: 'Sent-Determinate NonFine' },
          },
        ],
      },
    ])
    expect(res.body.bookings[1]).to.deep.equal({
      booking_no: 'A00018',
      booking_active: false,
      booking_started: '2012-10-11',
      legal_cases: [],
    })
  })

  it('when the offender has no charges, then the booking has no legal cases', async () => {
    const res = await get('/nomisapi/offenders/A1404AE/charges').expect(200)
    expect(res.body.bookings).to.have.length(1)
    expect(res.body.bookings[0]).to.deep.include({ booking_active: true, legal_cases: [] })
  })

  const activeAlerts = [
    {
      alert_type: { code: 'X', desc: 'Security' },
      alert_sub_type: { code: 'XEL', desc: 'Escape List' },
      alert_date: '2018-01-12',
      status: 'ACTIVE',
      comment: 'has a large poster on cell wall',
    },
    {
      alert_type: { code: 'R', desc: 'Risk' },
      alert_sub_type: { code: 'RKS', desc: 'Risk to Known Adult - Custody' },
      alert_date: '2018-01-12',
      expiry_date: '2099-03-12',
      status: 'ACTIVE',
    },
  ]

  it('when GET /offenders/A1583AE/alerts is asked for, then it answers the seed examples, active first', async () => {
    const res = await get('/nomisapi/offenders/A1583AE/alerts/?modified_since=2017-10-07T12:23:45.678').expect(200)
    expect(res.body).to.deep.equal({ alerts: activeAlerts })
    const all = await get('/nomisapi/offenders/A1583AE/alerts?include_inactive=true').expect(200)
    expect(all.body.alerts).to.deep.equal([
      ...activeAlerts,
      {
        alert_type: { code: 'H', desc: 'Self Harm' },
        alert_sub_type: { code: 'HA', desc: 'ACCT Open (HMPS)' },
        alert_date: '2017-11-13',
        expiry_date: '2018-01-12',
        status: 'INACTIVE',
      },
    ])
  })

  it('when alerts are filtered by type (any case) or modified_since (any of four formats), then the matching ones are answered', async () => {
    const typed = await get('/nomisapi/offenders/A1583AE/alerts?alert_type=h&include_inactive=true').expect(200)
    expect(typed.body.alerts.map((a: { alert_sub_type: { code: string } }) => a.alert_sub_type.code)).to.deep.equal([
      'HA',
    ])
    for (const since of ['2999-01-10', '2999-01-10 03:34', '2999-01-10 03:34:12', '2999-01-10 03:34:12.123']) {
      const later = await get(`/nomisapi/offenders/A1583AE/alerts?modified_since=${encodeURIComponent(since)}`)
      expect(later.status).to.equal(200)
      expect(later.body).to.deep.equal({ alerts: [] })
    }
    for (const since of ['2000-01-10', '2000-01-10 03:34', '2000-01-10 03:34:12', '2000-01-10 03:34:12.123']) {
      const earlier = await get(`/nomisapi/offenders/A1583AE/alerts?modified_since=${encodeURIComponent(since)}`)
      expect(earlier.body.alerts).to.have.length(2)
    }
    const bad = await get('/nomisapi/offenders/A1583AE/alerts?modified_since=yesterday').expect(400)
    expect(bad.body).to.deep.equal({ error: { message: 'Invalid query parameter modified_since' } })
  })

  it("when pss_detail is asked for, then a prisoner in custody's is an OFFENDER_DETAILS_REQUEST and anyone else's is {}", async () => {
    const res = await get('/nomisapi/offenders/A1404AE/pss_detail').expect(200)
    expect(res.body).to.include({ type: 'OFFENDER_DETAILS_REQUEST', noms_id: 'A1404AE', prison_id: 'BMI' })
    expect(res.body.offender_details_request.offender_details.location).to.deep.equal({
      agency_location: 'BMI',
      internal_location: 'BMI-A-1-01',
    })
    const released = await get('/nomisapi/offenders/A1477AE/pss_detail').expect(200)
    expect(released.body).to.deep.equal({})
  })

  it("when a digital prison's live roll is asked for, then it is listed; other prisons are refused", async () => {
    const res = await get('/nomisapi/prison/BMI/live_roll').expect(200)
    expect(res.body.noms_ids).to.include.members(['A1404AE', 'A1406AE', 'A1417AE'])
    expect(res.body.noms_ids).not.to.include('A1477AE')
    expect([...res.body.noms_ids].sort()).to.deep.equal(res.body.noms_ids)
    expect((await get('/nomisapi/prison/BSI/live_roll').expect(400)).body).to.deep.equal({
      error: { message: 'Prison is not a digital prison' },
    })
    expect((await get('/nomisapi/prison/ZZZ/live_roll').expect(404)).body).to.deep.equal({
      error: { message: 'Prison Not Found' },
    })
  })

  it('when the version is asked for, then it is answered, with the database details on show=database', async () => {
    const res = await get('/nomisapi/version?show=').expect(200)
    expect(res.body).to.have.keys(['api-version', 'build-timestamp'])
    const db = await get('/nomisapi/version?show=database').expect(200)
    expect(db.body['database-packages'].map((p: { package: string }) => p.package)).to.include(
      '20261121200000_nomis_records.ts',
    )
  })
})
