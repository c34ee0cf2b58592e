import { expect } from 'chai'
import { as } from '../support/app'
import { aPerson, aPrisoner } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("A person's look-ups in our prisoner records (issue #21)", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const get = (url: string) => as(world.app, world.frontend).get(url)

  it('when the record holds a photo, then the person answers it as a JPEG data URL', async () => {
    // A1417AE is a demo prisoner whose record has a photo.
    const people = await get('/api/people?filter[prison_number]=A1417AE').expect(200)
    const personId = people.body.data[0].id
    const res = await get(`/api/people/${personId}/images`).expect(200)
    expect(res.body.data).to.deep.include({ type: 'images', id: personId })
    expect(res.body.data.attributes.url).to.match(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/)
  })

  it('when the record holds no photo, or the person has no record, then the image is 404', async () => {
    const { personId } = await aPrisoner(world)
    await get(`/api/people/${personId}/images`).expect(404)
    await get(`/api/people/${await aPerson(world)}/images`).expect(404)
    await get(`/api/people/${crypto.randomUUID()}/images`).expect(404)
  })

  it("when the record has legal cases, then they are the person's court cases, filtered by active", async () => {
    const { nomsId, personId } = await aPrisoner(world)
    const admin = await world.clientWith({ roles: ['records-admin'] })
    const legalCase = (active: boolean, start: string) =>
      as(world.app, admin)
        .post(`/nomisapi/admin/offenders/${nomsId}/legal_cases`)
        .send({
          active,
          start_date: start,
          court_code: 'LEEDCC',
          court_desc: 'Leeds Crown Court',
          case_type_code: 'A',
          case_type_desc: 'Adult',
          charges: [],
        })
        .expect(201)
    await legalCase(true, '2026-01-05')
    await legalCase(false, '2025-06-01')

    const all = await get(`/api/people/${personId}/court_cases?include=location`).expect(200)
    expect(all.body.data.map((c: { attributes: Record<string, unknown> }) => c.attributes)).to.deep.equal([
      {
        nomis_case_id: Number(all.body.data[0].id),
        nomis_case_status: 'ACTIVE',
        case_type: 'Adult',
        case_start_date: '2026-01-05',
        case_number: null,
      },
      {
        nomis_case_id: Number(all.body.data[1].id),
        nomis_case_status: 'INACTIVE',
        case_type: 'Adult',
        case_start_date: '2025-06-01',
        case_number: null,
      },
    ])
    expect(all.body.included.map((l: { attributes: { key: string } }) => l.attributes.key)).to.deep.equal(['leedcc'])
    const active = await get(`/api/people/${personId}/court_cases?filter[active]=true`).expect(200)
    expect(active.body.data.map((c: { id: string }) => c.id)).to.deep.equal([all.body.data[0].id])
  })

  it('when a person has no record, then they have no court cases and an empty timetable', async () => {
    const personId = await aPerson(world)
    expect((await get(`/api/people/${personId}/court_cases`).expect(200)).body.data).to.deep.equal([])
    const timetable = await get(
      `/api/people/${personId}/timetable?filter[date_from]=2031-01-01&filter[date_to]=2031-01-31`,
    ).expect(200)
    expect(timetable.body.data).to.deep.equal([])
  })

  it('when the timetable is asked for without both dates, or with a date that is not one, then it is 400', async () => {
    const { personId } = await aPrisoner(world)
    await get(`/api/people/${personId}/timetable`).expect(400)
    await get(`/api/people/${personId}/timetable?filter[date_from]=2031-01-01`).expect(400)
    await get(`/api/people/${personId}/timetable?filter[date_from]=2031-01-01&filter[date_to]=2031-02-30`).expect(400)
  })
})
