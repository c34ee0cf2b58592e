import { expect } from 'chai'
import { randomUUID } from 'node:crypto'
import { addDays } from '../../lib/calendar'
import { as } from '../support/app'
import { populationBody } from '../support/bodies'
import { post, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("Populations: a new day's draft from our prisoner records", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  /** A prison of its own, in our prisoner records and as a location, with `inside` prisoners in and one released. */
  async function aPrison(inside: number): Promise<{ locationId: string; agency: string }> {
    const agency = `Z${randomUUID().slice(0, 4).toUpperCase()}`
    const db = world.services.db
    await db('prisons').insert({ prison_id: agency, description: `HMP ${agency}` })
    const locationId = randomUUID()
    await db('locations').insert({
      id: locationId,
      key: agency.toLowerCase(),
      title: `HMP ${agency}`,
      location_type: 'prison',
      nomis_agency_id: agency,
    })
    const offender = (n: number, custody: string) => ({
      noms_id: `${agency}${n}X`,
      given_name: 'ROLL',
      surname: 'COUNT',
      date_of_birth: '1990-01-01',
      prison_id: custody === 'IN' ? agency : null,
      custody_status: custody,
    })
    await db('offenders').insert([
      ...Array.from({ length: inside }, (_, n) => offender(n, 'IN')),
      offender(inside, 'OUT'),
    ])
    return { locationId, agency }
  }

  it("when a draft is asked for, then unlock is the roll count, discharges the day's releases (not transfers), capacities the latest earlier record's", async () => {
    const { locationId, agency } = await aPrison(3)
    const date = uniqueDate()
    const db = world.services.db
    const trn = await db('nomis_reference_codes')
      .where({ domain: 'DISCHARGE_REASON', code: 'TRN' })
      .first('description')
    const discharge = (reason: string, at: string) => ({
      event_type: 'DISCHARGE',
      noms_id: `${agency}9X`,
      prison_id: agency,
      event_timestamp: at,
      payload: JSON.stringify({ discharge_status: { discharge_reason: reason } }),
    })
    await db('offender_events').insert([
      discharge('Released', `${date}T12:00:00Z`),
      discharge('Released', `${addDays(date, 1)}T12:00:00Z`),
      discharge(trn.description as string, `${date}T12:00:00Z`),
    ])
    await post(world, world.frontend, '/api/populations')
      .send(populationBody(locationId, '2020-01-01', { operational_capacity: 90, usable_capacity: 80 }))
      .expect(201)

    const res = await as(world.app, world.frontend)
      .get('/api/populations/new')
      .query({ location_id: locationId, date })
      .expect(200)
    expect(res.body.data.id).to.equal('new')
    expect(res.body.data.attributes).to.include({
      date,
      operational_capacity: 90,
      usable_capacity: 80,
      unlock: 3,
      discharges: 1,
      bedwatch: 0,
      free_spaces: 80 - 3 + 1,
    })
  })

  it('when the location is unknown, then it is 404', async () => {
    await as(world.app, world.frontend)
      .get('/api/populations/new')
      .query({ location_id: randomUUID(), date: '2030-01-01' })
      .expect(404)
  })
})
