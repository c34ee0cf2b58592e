import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { uniqueDate, aPerson, aProfile, assignProfile, anAllocation, aMove, post } from '../support/builders'
import { countQueries } from '../support/db'
import { anAssessment, responseBody } from '../support/assessments'
import { patch } from '../support/builders'

type ListCase = {
  path: string
  query: Record<string, string>
  /** A search (`POST .../filtered`) sends its filter in the body, the rest in the query. */
  body?: object
  sizes: number[]
  /** Include sets from none to the deepest: each may add at most one statement per relationship it loads. */
  includes: string[][]
}

/**
 * No N+1 on any list: the SQL statements a request sends (counted from knex's query events) must
 * not grow with the page size, and each included relationship may add one batch query, never one
 * per row or per level of nesting below it.
 */
describe('Proof: no N+1 on the lists', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  async function statements(list: ListCase, query: Record<string, string>, size: number): Promise<number> {
    const client = as(app, frontend)
    const request = list.body ? client.post(list.path).send(list.body) : client.get(list.path)
    return countQueries(services, () =>
      request
        .query({ ...query, per_page: String(size) })
        .expect(200)
        .then(res => expect(res.body.data, `${list.path} ${JSON.stringify(query)}`).to.have.length(size)),
    )
  }

  async function expectFlat(list: ListCase): Promise<void> {
    const none = await statements(list, list.query, list.sizes[0]!)
    for (const include of list.includes) {
      const query = include.length ? { ...list.query, include: include.join(',') } : list.query
      const counts: number[] = []
      for (const size of list.sizes) counts.push(await statements(list, query, size))
      expect(counts, `${list.path} include=${include.join(',')} at page sizes ${list.sizes}`).to.deep.equal(
        list.sizes.map(() => counts[0]),
      )
      // profile.person includes the profiles too: every prefix of a path is a relationship loaded.
      const loaded = new Set(
        include.flatMap(path => path.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))),
      )
      expect(counts[0]! - none, `${list.path} include=${include.join(',')}`).to.be.at.most(loaded.size)
    }
  }

  it('GET /api/moves and POST /api/moves/filtered: the same statements for 1, 5 and 20 moves, one more per included relationship', async () => {
    const date = uniqueDate()
    const allocations = [
      await anAllocation(world, { attributes: { moves_count: 10, date } }),
      await anAllocation(world, { attributes: { moves_count: 10, date } }),
    ]
    for (const id of allocations.flatMap(a => a.moveIds)) {
      const person = await aPerson(world)
      await assignProfile(world, frontend, id, await aProfile(world, { personId: person })).expect(200)
    }
    const includes = [
      [],
      ['profile'],
      ['profile', 'profile.person'],
      ['profile', 'profile.person', 'profile.person.ethnicity', 'profile.person.gender'],
      ['profile.person', 'from_location', 'to_location'],
      [
        'profile',
        'profile.person',
        'profile.person.ethnicity',
        'profile.person.gender',
        'from_location',
        'to_location',
        'allocation',
        'supplier',
        'prison_transfer_reason',
      ],
    ]
    await expectFlat({
      path: '/api/moves',
      query: { 'filter[date_from]': date, 'filter[date_to]': date },
      sizes: [1, 5, 20],
      includes,
    })
    await expectFlat({
      path: '/api/moves/filtered',
      query: {},
      body: { data: { type: 'moves', attributes: { filter: { date_from: date, date_to: date } } } },
      sizes: [1, 5, 20],
      includes,
    })
  })

  it('GET /api/moves with the person escort records and their flags: the same statements for 1, 5 and 20 moves', async function () {
    // Twenty records made and answered over HTTP before the counting starts.
    this.timeout(120000)
    const date = uniqueDate()
    for (let i = 0; i < 20; i++) {
      const { id } = await anAssessment(world, { move: { date } })
      const staff = await services
        .db('framework_responses as r')
        .join('framework_questions as q', 'q.id', 'r.framework_question_id')
        .where({ 'r.assessment_id': id, 'q.key': 'violence-towards-staff' })
        .first('r.id')
      await patch(world, frontend, `/api/framework_responses/${staff.id}`)
        .send(responseBody({ option: 'Yes', details: 'Flagged for the count' }))
        .expect(200)
    }
    await expectFlat({
      path: '/api/moves',
      query: { 'filter[date_from]': date, 'filter[date_to]': date },
      sizes: [1, 5, 20],
      includes: [
        ['profile.person_escort_record'],
        ['profile.person_escort_record', 'profile.person_escort_record.flags', 'profile.youth_risk_assessment'],
      ],
    })
  })

  it('GET /api/moves: from_location and to_location together cost one statement, as locations', async () => {
    const date = uniqueDate()
    await anAllocation(world, { attributes: { moves_count: 3, date } })
    const query = { 'filter[date_from]': date, 'filter[date_to]': date }
    const moves = { path: '/api/moves', query, sizes: [3], includes: [] }
    const none = await statements(moves, query, 3)
    const both = await statements(moves, { ...query, include: 'from_location,to_location' }, 3)
    expect(both - none).to.equal(1)
  })

  it('GET /api/allocations and POST /api/allocations/filtered: the same statements for 1, 4 and 12 allocations, moves and locations included', async () => {
    const date = uniqueDate()
    for (let i = 0; i < 12; i++) await anAllocation(world, { attributes: { moves_count: 1 + (i % 3), date } })
    const includes = [[], ['moves'], ['moves', 'from_location', 'to_location']]
    await expectFlat({
      path: '/api/allocations',
      query: { 'filter[date_from]': date, 'filter[date_to]': date },
      sizes: [1, 4, 12],
      includes,
    })
    await expectFlat({
      path: '/api/allocations/filtered',
      query: {},
      body: { data: { type: 'allocations', attributes: { filter: { date_from: date, date_to: date } } } },
      sizes: [1, 4, 12],
      includes,
    })
  })

  it('GET /api/people: the same statements for 1, 5 and 20 people, profiles, ethnicity and gender included', async () => {
    const prefix = `N${crypto.randomUUID().slice(0, 4).toUpperCase()}`
    const numbers = Array.from({ length: 20 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`)
    for (const prisonNumber of numbers) {
      const person = await aPerson(world, { attributes: { prison_number: prisonNumber } })
      await aProfile(world, { personId: person })
      await aProfile(world, { personId: person })
    }
    await expectFlat({
      path: '/api/people',
      query: { 'filter[prison_number]': numbers.join(',') },
      sizes: [1, 5, 20],
      includes: [[], ['profiles'], ['ethnicity', 'gender', 'profiles']],
    })
  })

  it('GET /api/reference/locations: the same statements for 1, 5 and 20 locations, suppliers included', async () => {
    await expectFlat({
      path: '/api/reference/locations',
      query: {},
      sizes: [1, 5, 20],
      includes: [[], ['suppliers']],
    })
  })

  it('GET /api/moves with court hearings: the same statements for 1, 5 and 20 moves, court_hearings included', async () => {
    const date = uniqueDate()
    const allocation = await anAllocation(world, { attributes: { moves_count: 20, date } })
    for (const id of allocation.moveIds) {
      await post(world, frontend, '/api/court_hearings')
        .send({
          data: {
            type: 'court_hearings',
            attributes: { start_time: `${date}T10:00:00Z` },
            relationships: { move: { data: { type: 'moves', id } } },
          },
        })
        .expect(201)
    }
    await expectFlat({
      path: '/api/moves',
      query: { 'filter[date_from]': date, 'filter[date_to]': date },
      sizes: [1, 5, 20],
      includes: [[], ['court_hearings']],
    })
  })

  it('GET /api/suppliers/{id}/locations: the same statements for 1 and 2 locations', async () => {
    // Moves from Brinsford and from the Isle of Wight, both GEOAmey's.
    await aMove(world, { from: 'bsi', to: 'iwi' })
    await aMove(world, { from: 'iwi', to: 'bsi' })
    const supplier = (await services.db('suppliers').where({ key: 'geoamey' }).first('id')).id as string
    await expectFlat({ path: `/api/suppliers/${supplier}/locations`, query: {}, sizes: [1, 2], includes: [[]] })
  })
})
