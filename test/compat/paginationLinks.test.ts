import { expect } from 'chai'
import type { Express } from 'express'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { aPerson, anAllocation } from '../support/builders'

/** Every pagination link of a list: the four top-level ones that exist and the two in meta.pagination. */
function linksOf(body: {
  links: Record<string, string | null>
  meta: { pagination: { links: Record<string, string> } }
}) {
  const top = Object.values(body.links).filter((l): l is string => l !== null)
  return [...top, ...Object.values(body.meta.pagination.links)]
}

const params = (link: string) => new URL(link, 'http://x').searchParams

describe('compatibility: pagination links keep every parameter of the request but the page', () => {
  let world: World
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ app, frontend } = world)
    const { date } = await anAllocation(world, { attributes: { moves_count: 3 } })
    await anAllocation(world, { attributes: { moves_count: 1, date } })
    await anAllocation(world, { attributes: { moves_count: 1, date } })
    for (let i = 0; i < 3; i++) await aPerson(world)
  })

  const lists: { name: string; path: string; query: Record<string, string>; body?: object; kept: string[] }[] = [
    {
      name: 'GET /api/moves',
      path: '/api/moves',
      query: { 'filter[status]': 'requested', 'sort[by]': 'date', include: 'from_location' },
      kept: ['filter[status]', 'sort[by]', 'include'],
    },
    {
      name: 'POST /api/moves/filtered',
      path: '/api/moves/filtered',
      query: { 'sort[by]': 'created_at' },
      body: { data: { type: 'moves', attributes: { filter: { status: 'requested' } } } },
      kept: ['sort[by]'],
    },
    {
      name: 'GET /api/allocations',
      path: '/api/allocations',
      query: { 'filter[status]': 'unfilled', include: 'to_location' },
      kept: ['filter[status]', 'include'],
    },
    {
      name: 'POST /api/allocations/filtered',
      path: '/api/allocations/filtered',
      query: { 'sort[by]': 'moves_count' },
      body: { data: { type: 'allocations', attributes: { filter: { status: 'unfilled' } } } },
      kept: ['sort[by]'],
    },
    { name: 'GET /api/people', path: '/api/people', query: { include: 'gender' }, kept: ['include'] },
    {
      name: 'GET /api/reference/locations',
      path: '/api/reference/locations',
      query: { 'filter[location_type]': 'prison' },
      kept: ['filter[location_type]'],
    },
  ]

  for (const list of lists) {
    it(`when ${list.name} is asked for page 2 of per_page=1, then every link keeps per_page=1 and the other parameters`, async () => {
      const query = { ...list.query, per_page: '1', page: '2' }
      const request = list.body
        ? as(app, frontend).post(list.path).query(query).send(list.body)
        : as(app, frontend).get(list.path).query(query)
      const res = await request.expect(200)
      expect(res.body.meta.pagination.per_page).to.equal(1)
      expect(res.body.meta.pagination.total_pages).to.be.greaterThan(2)
      expect(res.body.links.prev).to.be.a('string')
      expect(res.body.links.next).to.be.a('string')
      for (const link of linksOf(res.body)) {
        const sent = params(link)
        expect(sent.get('per_page'), link).to.equal('1')
        for (const name of list.kept) expect(sent.get(name), `${name} in ${link}`).to.equal(list.query[name])
      }
      expect(params(res.body.links.first).get('page[size]')).to.equal('1')
      expect(params(res.body.meta.pagination.links.first).get('page')).to.equal('1')
      expect(params(res.body.meta.pagination.links.last).get('page')).to.equal(
        String(res.body.meta.pagination.total_pages),
      )
    })
  }

  it('when a client pages with page[number] and page[size], then meta.pagination.links keep page[size]', async () => {
    const res = await as(app, frontend).get('/api/moves').query({ 'page[number]': '2', 'page[size]': '1' }).expect(200)
    for (const link of Object.values(res.body.meta.pagination.links) as string[]) {
      expect(params(link).get('page[size]'), link).to.equal('1')
    }
    expect(params(res.body.meta.pagination.links.first).get('page[number]')).to.equal('1')
  })

  it('when a list is asked for with no parameter but its page, then each link is the path and the page alone', async () => {
    const res = await as(app, frontend).get('/api/moves').query({ page: '1' }).expect(200)
    expect(res.body.links.first).to.match(/^http:\/\/[^/]+\/api\/moves\?page%5Bnumber%5D=1&page%5Bsize%5D=\d+$/)
    expect(res.body.meta.pagination.links.first).to.equal('/api/moves?page=1')
    expect(res.body.meta.pagination.links.last).to.match(/^\/api\/moves\?page=\d+$/)
  })

  it('when the last link is followed, then it answers a page of the same size', async () => {
    const res = await as(app, frontend).get('/api/moves').query({ per_page: '1', page: '2' }).expect(200)
    const last = await as(app, frontend).get(res.body.meta.pagination.links.last).expect(200)
    expect(last.body.data).to.have.length(1)
    expect(last.body.meta.pagination.per_page).to.equal(1)
  })
})
