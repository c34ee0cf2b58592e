import { expect } from 'chai'
import type { Express } from 'express'
import type { Db } from '../../db/client'
import { as, testApp, type TestClient } from '../support/app'
import { aMove, moveEvent, uniqueDate } from '../support/builders'
import { onPostgres, secondConnection } from '../support/db'
import { testWorld, type World } from '../support/world'

/** A move list request: GET /api/moves with `query`, or POST /api/moves/filtered with `filter` in the body. */
type ListRequest = { by: TestClient; query: Record<string, string>; filter?: Record<string, string> }

type Prepared = { name: string; statement: string; generic_plans: number }

/**
 * The move list's page and the locations it includes run as named prepared statements on PostgreSQL
 * (db/prepared.ts); PGlite has no named statements, so there is nothing to see there.
 */
;(onPostgres ? describe : describe.skip)('prepared statements (PostgreSQL)', () => {
  let world: World
  let date: string
  const opened: Db[] = []

  /** An app whose database has one connection and prepares at most `limit` distinct texts. */
  function appWith(limit: number): { db: Db; app: Express } {
    const db = secondConnection({ poolMax: 1, preparedStatementLimit: limit })
    opened.push(db)
    return { db, app: testApp({ ...world.services, db }) }
  }

  /** The list's answer, with the test server's address (a new port each request) taken out of its links. */
  async function list(app: Express, request: ListRequest): Promise<string> {
    const client = as(app, request.by)
    const res = request.filter
      ? await client
          .post('/api/moves/filtered')
          .query(request.query)
          .send({ data: { type: 'moves', attributes: { filter: request.filter } } })
          .expect(200)
      : await client.get('/api/moves').query(request.query).expect(200)
    expect(res.body.data, JSON.stringify(request.query)).to.have.length.greaterThan(0)
    return JSON.stringify(res.body).replace(/http:\/\/127\.0\.0\.1:\d+/g, '')
  }

  const statements = async (db: Db) =>
    (await db.raw('select name, statement, generic_plans from pg_prepared_statements order by prepare_time'))
      .rows as Prepared[]

  /** Two filter shapes (the frontend's day with includes; a supplier's search by status, sorted by name), each at two page sizes. */
  const requests = (): ListRequest[] => {
    const day = { 'filter[date_from]': date, 'filter[date_to]': date }
    const included = { ...day, include: 'profile.person,from_location,to_location' }
    const search = { date_from: date, date_to: date, status: 'requested,booked' }
    const byName = { 'sort[by]': 'name', include: 'from_location' }
    return [
      { by: world.frontend, query: { ...included, per_page: '2' } },
      { by: world.frontend, query: { ...included, per_page: '2', page: '2' } },
      { by: world.frontend, query: { ...included, per_page: '5' } },
      { by: world.serco, query: { ...byName, per_page: '2' }, filter: search },
      { by: world.serco, query: { ...byName, per_page: '5' }, filter: search },
    ]
  }

  before(async () => {
    world = await testWorld()
    date = uniqueDate()
    // Six moves from Leeds to Moorland, which Serco serves, two of them booked: both shapes have pages to turn.
    const moves = []
    for (let i = 0; i < 6; i++) moves.push(await aMove(world, { date, from: 'lei', to: 'mdi' }))
    for (const move of moves.slice(0, 2)) await moveEvent(world, world.frontend, move.id, 'accept').expect(204)
  })

  after(async () => {
    for (const db of opened.splice(0)) await db.destroy()
  })

  it('when the lists run as prepared statements on one connection, past custom plans and on generic ones, then each answers as an unprepared statement does', async () => {
    const unprepared = appWith(0)
    const prepared = appWith(50)
    for (const request of requests()) {
      const expected = await list(unprepared.app, request)
      // Six runs: PostgreSQL makes five custom plans before it weighs the generic one.
      for (let run = 0; run < 6; run++) expect(await list(prepared.app, request)).to.equal(expected)
    }
    expect(await statements(unprepared.db)).to.deep.equal([])
    // From here on every run of a prepared statement on this connection takes its generic plan.
    await prepared.db.raw('set plan_cache_mode = force_generic_plan')
    for (const request of requests())
      expect(await list(prepared.app, request)).to.equal(await list(unprepared.app, request))

    const kept = await statements(prepared.db)
    const pages = kept.filter(s => s.statement.includes('from "moves" as "m"'))
    // A text per shape and page size, and another for later pages (offset); the locations' one whatever their number.
    expect(pages.map(s => s.statement.match(/ limit (\d+)/)?.[1])).to.have.members(['2', '2', '5', '2', '5'])
    expect(kept.filter(s => s.statement.includes('from "locations" as "l"'))).to.have.length(1)
    for (const page of pages) expect(page.generic_plans, page.statement).to.be.greaterThan(0)
  })

  it('when more distinct texts come than the limit, then those beyond it run unnamed and answer the same', async () => {
    const unprepared = appWith(0)
    const limited = appWith(2)
    const [pageOfTwo, , pageOfFive] = requests()
    // The page of two and the locations it includes take both places; the page of five finds none left.
    for (const request of [pageOfTwo!, pageOfFive!, pageOfFive!]) {
      expect(await list(limited.app, request)).to.equal(await list(unprepared.app, request))
    }
    const kept = await statements(limited.db)
    expect(kept).to.have.length(2)
    expect(kept[0]!.statement).to.match(/from "moves" as "m" .* limit 2$/)
    expect(kept[1]!.statement).to.include('from "locations" as "l"')
  })

  it('when a client varies its lists past the places for texts that vary, then the fixed texts every request runs still take theirs', async () => {
    const limited = appWith(6)
    const day = { 'filter[date_from]': date, 'filter[date_to]': date, include: 'from_location' }
    // Five page sizes, five texts: three of them take the half of the places that texts which vary may have.
    for (const size of [1, 2, 3, 4, 5])
      await list(limited.app, { by: world.frontend, query: { ...day, per_page: `${size}` } })
    const [move] = JSON.parse(await list(limited.app, { by: world.frontend, query: day })).data as { id: string }[]
    await as(limited.app, world.frontend).get(`/api/moves/${move!.id}`).expect(200)

    const kept = (await statements(limited.db)).map(s => s.statement)
    expect(kept.filter(text => / limit \d+$/.test(text))).to.have.length(3)
    // The locations loader and one move's read, each the same text whatever a client sends, found places left.
    expect(kept.filter(text => text.includes('from "locations" as "l"'))).to.have.length(1)
    expect(kept.filter(text => /where "m"."id" = \$1 limit \$2$/.test(text))).to.have.length(1)
    expect(kept).to.have.length(5)
  })
})
