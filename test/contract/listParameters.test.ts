import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import { loadOpenApi, resolveRef } from '../../api/openapi'
import { ALLOCATION_SORTS } from '../../lib/moves/allocations'
import { MOVE_META } from '../../lib/moves/moveMeta'
import { MOVE_SORTS, MOVE_TYPES } from '../../lib/moves/moves'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

/**
 * The list operations' query parameters and the search bodies' filters against openapi.yaml: each
 * declared filter, sort and page parameter refused with a bad value is 400 naming that parameter (or,
 * in a search body, pointing at that member), and nothing else.
 */

/** A bad value for each kind of declared filter. */
const BAD = { date: '2031-02-30', uuids: 'serco', boolean: 'maybe', list: 'lost', positive: '0' }
const UUID = walkthroughIds.brinsford

/** The paging and sorting parameters every list declares (`Page`, `PerPage`), with a bad value each. */
const paging: Record<string, string> = {
  page: BAD.positive,
  'page[number]': BAD.positive,
  'page[size]': '-3',
  per_page: 'twenty',
}

const moveSort = { 'sort[by]': 'colour', 'sort[direction]': 'sideways' }

const lists: Record<string, Record<string, string>> = {
  '/api/moves': {
    'filter[date_from]': BAD.date,
    'filter[date_to]': '22/07/2020',
    'filter[created_at_from]': BAD.date,
    'filter[created_at_to]': 'yesterday',
    'filter[date_of_birth_from]': BAD.date,
    'filter[date_of_birth_to]': '1990-13-01',
    'filter[has_relationship_to_allocation]': BAD.boolean,
    'filter[ready_for_transit]': 'yes',
    'filter[move_type]': `prison_transfer,${BAD.list}`,
    'filter[from_location_id]': BAD.uuids,
    'filter[to_location_id]': `${UUID},${BAD.uuids}`,
    'filter[location_id]': BAD.uuids,
    'filter[supplier_id]': BAD.uuids,
    'filter[profile_id]': BAD.uuids,
    'filter[person_id]': BAD.uuids,
    'filter[colour]': 'red',
    meta: 'vehicle_registration,colour',
    ...paging,
  },
  '/api/allocations': {
    'filter[date_from]': BAD.date,
    'filter[date_to]': 'tomorrow',
    'filter[from_locations]': BAD.uuids,
    'filter[to_locations]': `${UUID} ${UUID}`,
    'filter[locations]': BAD.uuids,
    'filter[colour]': 'red',
    ...paging,
  },
  '/api/people': {
    'filter[colour]': 'red',
    ...paging,
  },
  '/api/reference/locations': {
    'filter[supplier_id]': BAD.uuids,
    'filter[colour]': 'red',
    ...paging,
  },
}

/** Sorts answer their own code, unsupported_sort. */
const sorts: Record<string, Record<string, string>> = {
  '/api/moves': moveSort,
  '/api/allocations': { 'sort[by]': 'name', 'sort[direction]': 'up' },
}

/** Each search body's filter members with a bad value, and where the error points. */
const searches: Record<string, [string, unknown, string?][]> = {
  '/api/moves/filtered': [
    ['date_from', BAD.date],
    ['date_to', '22/07/2020'],
    ['created_at_from', 20310101],
    ['created_at_to', BAD.date],
    ['date_of_birth_from', BAD.date],
    ['date_of_birth_to', 'yesterday'],
    ['has_relationship_to_allocation', BAD.boolean],
    ['ready_for_transit', 1],
    ['status', { status: 'requested' }],
    ['move_type', ['prison_transfer', BAD.list]],
    ['move_type', `court_appearance,${BAD.list}`],
    ['cancellation_reason', 7],
    ['rejection_reason', [true], 'rejection_reason/0'],
    ['location_type', null],
    ['from_location_id', BAD.uuids],
    ['to_location_id', [UUID, BAD.uuids], 'to_location_id/1'],
    ['location_id', { id: UUID }],
    ['supplier_id', BAD.uuids],
    ['profile_id', [42], 'profile_id/0'],
    ['person_id', BAD.uuids],
    ['reference', 12],
    ['colour', 'red'],
  ],
  '/api/allocations/filtered': [
    ['date_from', BAD.date],
    ['date_to', true],
    ['from_locations', BAD.uuids],
    ['to_locations', [BAD.uuids], 'to_locations/0'],
    ['locations', `${UUID};${UUID}`],
    ['status', 7],
    ['colour', 'red'],
  ],
}

type JsonApiError = { status: string; code: string; source?: Record<string, string> }

describe('Contract: list query parameters and search filters', () => {
  let world: World
  let app: Express
  let frontend: TestClient

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ app, frontend } = world)
  })

  const errorsOf = (body: { errors?: JsonApiError[] }) => {
    expect(body.errors, JSON.stringify(body)).to.be.an('array').with.length.above(0)
    return body.errors!
  }

  for (const [path, parameters] of Object.entries(lists)) {
    describe(`GET ${path}`, () => {
      for (const [name, value] of Object.entries(parameters)) {
        it(`when ${name} is ${JSON.stringify(value)}, then 400 invalid_query_parameter names ${name} and nothing else`, async () => {
          const res = await as(app, frontend)
            .get(path)
            .query({ [name]: value })
            .expect(400)
          for (const error of errorsOf(res.body)) {
            expect(error, JSON.stringify(res.body)).to.deep.include({
              status: '400',
              code: 'invalid_query_parameter',
              source: { parameter: name },
            })
          }
        })
      }
      for (const [name, value] of Object.entries(sorts[path] ?? {})) {
        it(`when ${name} is ${JSON.stringify(value)}, then 400 unsupported_sort names ${name} and nothing else`, async () => {
          const query = name === 'sort[direction]' ? { 'sort[by]': 'date', [name]: value } : { [name]: value }
          const res = await as(app, frontend).get(path).query(query).expect(400)
          for (const error of errorsOf(res.body)) {
            expect(error, JSON.stringify(res.body)).to.deep.include({
              status: '400',
              code: 'unsupported_sort',
              source: { parameter: name },
            })
          }
        })
      }
    })
  }

  for (const [path, cases] of Object.entries(searches)) {
    const type = path.split('/')[2]
    describe(`POST ${path}`, () => {
      for (const [name, value, at = name] of cases) {
        it(`when filter.${name} is ${JSON.stringify(value)}, then 400 points at /data/attributes/filter/${at} and nothing else`, async () => {
          const res = await as(app, frontend)
            .post(path)
            .send({ data: { type, attributes: { filter: { [name]: value } } } })
            .expect(400)
          for (const error of errorsOf(res.body)) {
            expect(error, JSON.stringify(res.body)).to.deep.include({
              status: '400',
              code: 'invalid_query_parameter',
              source: { pointer: `/data/attributes/filter/${at}` },
            })
          }
        })
      }
    })
  }

  describe('what the contract still lets through', () => {
    it('when every declared filter is given empty, then the lists answer 200 ("is null" for comma lists, no bound for dates)', async () => {
      for (const [path, parameters] of Object.entries(lists)) {
        const empty = Object.fromEntries(
          Object.keys(parameters)
            .filter(name => name.startsWith('filter[') && name !== 'filter[colour]')
            .map(name => [name, '']),
        )
        // filter[locations] excludes filter[from_locations] and filter[to_locations], even empty.
        const { 'filter[locations]': locations, ...rest } = empty
        await as(app, frontend).get(path).query(rest).expect(200)
        if (locations !== undefined) await as(app, frontend).get(path).query({ 'filter[locations]': '' }).expect(200)
      }
    })

    for (const path of ['/api/moves', '/api/allocations']) {
      it(`when filter[status] on ${path} names a status nothing has, then nothing matches and it is not refused (issue #17)`, async () => {
        const res = await as(app, frontend).get(path).query({ 'filter[status]': 'accepted' }).expect(200)
        expect(res.body.data).to.deep.equal([])
        const search = await as(app, frontend)
          .post(`${path}/filtered`)
          .send({ data: { type: path.slice(5), attributes: { filter: { status: ['accepted'] } } } })
          .expect(200)
        expect(search.body.data).to.deep.equal([])
      })
    }

    it('when lists, booleans and dates are well formed with spaces, empty parts or both search forms, then they are taken', async () => {
      await as(app, frontend)
        .get('/api/moves')
        .query({
          'filter[from_location_id]': ` ${UUID} ,,${UUID}`,
          'filter[move_type]': 'prison_transfer, court_appearance',
          'filter[has_relationship_to_allocation]': 'false',
          'filter[date_from]': '2024-02-29',
          'sort[by]': 'name',
          'sort[direction]': 'asc',
          meta: 'vehicle_registration',
          per_page: '5000',
        })
        .expect(200)
      await as(app, frontend)
        .post('/api/allocations/filtered')
        .send({ data: { type: 'allocations', attributes: { filter: { status: ['filled', ''], locations: [UUID] } } } })
        .expect(200)
    })
  })

  it('when the contract and the code each list move types, sorts and meta names, then the lists agree', () => {
    const doc = loadOpenApi() as unknown as {
      components: { parameters: Record<string, unknown>; schemas: Record<string, { pattern?: string }> }
    }
    type SortParameter = { schema: { properties: { by: { enum: string[] } } } }
    const sortBy = (name: string) => resolveRef<SortParameter>(doc.components.parameters[name] as SortParameter)!
    expect(sortBy('MoveSort').schema.properties.by.enum).to.have.members([...MOVE_SORTS])
    expect(sortBy('AllocationSort').schema.properties.by.enum).to.have.members([...ALLOCATION_SORTS])
    const enumerated = (pattern: string | undefined) =>
      new Set(/\(\?:([a-z_|]+)\)/.exec(pattern ?? '')?.[1]?.split('|'))
    expect([...enumerated(doc.components.schemas.QueryMoveTypes?.pattern)]).to.have.members([...MOVE_TYPES])
    expect([...enumerated(doc.components.schemas.SearchMoveTypes?.pattern)]).to.have.members([...MOVE_TYPES])
    const meta = resolveRef<{ schema: { pattern: string } }>(
      doc.components.parameters.MoveMeta as { schema: { pattern: string } },
    )!
    expect([...enumerated(meta.schema.pattern)]).to.have.members([...MOVE_META])
  })
})
