import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { as } from '../support/app'
import { populationBody } from '../support/bodies'
import { aMove, location, post, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Free spaces: prisons with their days', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const freeSpaces = (query: Record<string, string>) =>
    as(world.app, world.frontend).get('/api/locations_free_spaces').query(query)

  it('when free spaces are asked for three days, then each prison has one entry a day: transfers counted, free spaces where a day is recorded', async () => {
    // Three calls in a row answer three days in a row, none another test's.
    const [first, second, third] = [uniqueDate(), uniqueDate(), uniqueDate()]
    expect([addDays(first, 1), addDays(first, 2)]).to.deep.equal([second, third])
    const iwi = await location(world, 'iwi')
    await aMove(world, { date: second })
    await aMove(world, { date: second, from: 'iwi', to: 'bsi' })
    await aMove(world, { date: second, from: 'iwi', to: 'bsi' })
    const recorded = await post(world, world.frontend, '/api/populations')
      .send(populationBody(iwi, second, { unlock: 470 }))
      .expect(201)

    const res = await freeSpaces({
      date_from: first,
      date_to: third,
      'filter[nomis_agency_id]': 'IWI,BSI',
    }).expect(200)
    expect(res.body.data.map((l: { attributes: { title: string } }) => l.attributes.title)).to.deep.equal(
      [...res.body.data.map((l: { attributes: { title: string } }) => l.attributes.title)].sort(),
    )
    const days = (id: string) => res.body.data.find((l: { id: string }) => l.id === id).meta.populations
    const none = { id: null, free_spaces: null, transfers_in: 0, transfers_out: 0 }
    // 480 - 470 - 1 in + 2 out
    expect(days(iwi)).to.deep.equal([
      none,
      { id: recorded.body.data.id, free_spaces: 11, transfers_in: 1, transfers_out: 2 },
      none,
    ])
    expect(days(await location(world, 'bsi'))).to.deep.equal([
      none,
      { id: null, free_spaces: null, transfers_in: 2, transfers_out: 1 },
      none,
    ])
  })

  it('when the range runs backwards or is longer than 31 days, or a date is missing, then it is 400', async () => {
    await freeSpaces({ date_from: '2030-01-02', date_to: '2030-01-01' }).expect(400)
    await freeSpaces({ date_from: '2030-01-01', date_to: '2030-02-01' }).expect(400)
    await freeSpaces({ date_from: '2030-01-01' }).expect(400)
  })
})
