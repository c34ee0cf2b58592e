import { Writable } from 'node:stream'
import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { fixedClock } from '../../lib/clock'
import { createLogger } from '../../lib/log'
import { scheduledJobs } from '../../lib/scheduler/jobs'
import { Scheduler } from '../../lib/scheduler/scheduler'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { aMoveUnderWay, moveEvent, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'
import { batch, movingJourney, northbound, postPoints } from './fixtures'

describe('GPS quality report', () => {
  let world: World
  let services: Services
  let frontend: TestClient
  let geoamey: TestClient
  let date: string
  const moves: Record<string, string> = {}

  before(async function () {
    // Five moves through their lifecycle over HTTP: slow on a busy machine.
    this.timeout(120_000)
    world = await testWorld()
    ;({ services, frontend, geoamey } = world)
    date = uniqueDate()
    const completed = { complete: '2031-01-01T11:00:00Z', date }
    const tracks: Record<string, ReturnType<typeof northbound>> = {
      passes: northbound(10),
      gap: [...northbound(3), ...northbound(3, { from: '2031-01-01T10:02:00Z' })],
      onePoint: northbound(1),
    }
    for (const [name, points] of Object.entries(tracks)) {
      const journey = await movingJourney(world, geoamey, completed)
      await postPoints(world, geoamey, journey.moveId, journey.journeyId, batch(points)).expect(200)
      moves[name] = journey.moveId
    }
    const bare = await aMoveUnderWay(world, { by: geoamey, date })
    await moveEvent(world, geoamey, bare.id, 'complete').expect(204)
    moves.noJourneys = bare.id
    // Not completed: not in the report.
    moves.inTransit = (await movingJourney(world, geoamey, { date })).moveId
  })

  const report = (client: TestClient, from: string, to: string) =>
    as(world.app, client).get(`/api/reports/gps_quality?date_from=${from}&date_to=${to}`)

  it('when the range holds completed moves, then each is judged and the pass rate is given against the 95% goal', async () => {
    const res = await report(frontend, date, date).expect(200)
    const byId = new Map(
      res.body.data.map((r: { id: string; attributes: Record<string, unknown> }) => [r.id, r.attributes]),
    )
    expect([...byId.keys()].sort()).to.deep.equal([moves.passes, moves.gap, moves.onePoint, moves.noJourneys].sort())
    expect(byId.get(moves.passes)).to.deep.include({
      point_count: 10,
      largest_gap_s: 10,
      passes: true,
      failure_reason: null,
      supplier: 'geoamey',
      date,
    })
    expect(byId.get(moves.gap)).to.deep.include({
      point_count: 6,
      largest_gap_s: 100,
      passes: false,
      failure_reason: 'gps_data_gap',
    })
    expect(byId.get(moves.onePoint)).to.deep.include({
      point_count: 1,
      largest_gap_s: null,
      passes: false,
      failure_reason: 'no_gps_data',
    })
    expect(byId.get(moves.noJourneys)).to.deep.include({
      journeys: [],
      point_count: 0,
      passes: false,
      failure_reason: 'no_journeys',
    })
    const journeys = (byId.get(moves.gap) as { journeys: unknown[] }).journeys
    expect(journeys).to.have.length(1)
    expect(journeys[0]).to.include({ point_count: 6, largest_gap_s: 100, passes: false })
    const rate = { moves: 4, passing: 1, pass_rate: 0.25, meets_goal: false }
    expect(res.body.meta).to.deep.equal({
      date_from: date,
      date_to: date,
      goal: 0.95,
      summary: rate,
      suppliers: { geoamey: rate },
    })
  })

  it('when the track is fetched, then its largest gap agrees with the report', async () => {
    const res = await as(world.app, frontend)
      .get(`/api/moves/${moves.gap}/track`)
      .set('Accept', 'application/geo+json')
      .expect(200)
    expect(JSON.parse(res.text).features[0].properties.largest_gap_s).to.equal(100)
  })

  it('when a client has neither the frontend nor the admin role, then 403, before its parameters are checked', async () => {
    await report(world.serco, date, date).expect(403)
    await report(geoamey, date, date).expect(403)
    await as(world.app, geoamey).get('/api/reports/gps_quality?date_from=nonsense').expect(403)
    await report(await world.clientWith({ roles: ['nomis'] }), date, date).expect(403)
    await report(world.admin, date, date).expect(200)
    await report(await world.clientWith({ supplier: 'serco', roles: ['admin'] }), date, date).expect(200)
  })

  it('when the range is reversed, too long or incomplete, then 400 naming the parameter', async () => {
    let res = await report(frontend, date, addDays(date, -1)).expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'date_to' })
    res = await report(frontend, date, addDays(date, 93)).expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'date_to' })
    await report(frontend, date, addDays(date, 92)).expect(200)
    await as(world.app, frontend).get(`/api/reports/gps_quality?date_from=${date}`).expect(400)
    await report(frontend, date, '2031-02-30').expect(400)
  })

  it('when the weekly job runs, then it stores the report of the 7 days ending yesterday and logs the pass rate', async () => {
    const lines: string[] = []
    const log = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }),
    )
    const clock = fixedClock(`${addDays(date, 1)}T05:00:00Z`)
    const scheduler = new Scheduler(services.db, log, scheduledJobs({ ...services, clock, log }))
    expect(await scheduler.runNow('gps-quality-report')).to.equal('ran')
    const { db } = services
    const stored = await db('gps_quality_reports')
      .orderBy('created_at', 'desc')
      .first('id', 'pass_rate', 'report', db.raw('date_from::text as date_from'), db.raw('date_to::text as date_to'))
    expect(stored).to.include({ date_from: addDays(date, -6), date_to: date })
    expect(stored.report.moves.map((m: { moveId: string }) => m.moveId)).to.include.members([
      moves.passes,
      moves.noJourneys,
    ])
    const logged = lines.map(line => JSON.parse(line)).find(entry => entry.msg === 'GPS quality report stored')
    expect(logged).to.include({ id: stored.id, dateFrom: addDays(date, -6), dateTo: date })
    expect(logged.passRate).to.be.a('number')
    expect(logged.passRate).to.equal(stored.pass_rate)
  })
})
