import { expect } from 'chai'
import type { Services } from '../../lib/services'
import type { TestClient } from '../support/app'
import { key } from '../support/builders'
import { testWorld, type World } from '../support/world'
import { batch, movingJourney, northbound, postPoints, STARTED_AT, type Point } from './fixtures'

describe('GPS points: ingestion', () => {
  let world: World
  let services: Services
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, frontend, geoamey, serco } = world)
  })

  const stored = async (journeyId: string) =>
    Number((await services.db('gps_points').where({ journey_id: journeyId }).count('* as n').first())!.n)

  it('when the driving supplier posts a batch, then every point is stored and counted', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey)
    const res = await postPoints(world, geoamey, moveId, journeyId, batch(northbound(5))).expect(200)
    expect(res.body.meta).to.deep.equal({ received: 5, stored: 5, duplicates: 0, outside_journey: 0 })
    const row = await services.db('gps_points').where({ journey_id: journeyId }).orderBy('recorded_at').first()
    expect(row).to.include({ latitude: 51.5, longitude: -0.1, vehicle_reg: 'GP51 VAN' })
    expect(await stored(journeyId)).to.equal(5)
  })

  it('when a point repeats a journey and timestamp, in the batch or an earlier one, then it is stored once', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey)
    const points = northbound(3)
    await postPoints(world, geoamey, moveId, journeyId, batch(points)).expect(200)
    const again = [points[1]!, { ...points[2]!, latitude: 52 }, ...northbound(2, { from: '2031-01-01T10:01:00Z' })]
    const res = await postPoints(world, geoamey, moveId, journeyId, batch([...again, again[3]!])).expect(200)
    expect(res.body.meta).to.deep.equal({ received: 5, stored: 2, duplicates: 3, outside_journey: 0 })
    expect(await stored(journeyId)).to.equal(5)
    // The first copy stays.
    const kept = await services
      .db('gps_points')
      .where({ journey_id: journeyId, recorded_at: points[2]!.timestamp })
      .first()
    expect(kept.latitude).to.equal(points[2]!.latitude)
  })

  it('when a request is repeated with its Idempotency-Key, then the stored answer is replayed', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey)
    const idempotencyKey = key()
    const first = await postPoints(world, geoamey, moveId, journeyId, batch(northbound(4)), idempotencyKey).expect(200)
    const replay = await postPoints(world, geoamey, moveId, journeyId, batch(northbound(4)), idempotencyKey).expect(200)
    expect(replay.headers['idempotent-replayed']).to.equal('true')
    expect(replay.body).to.deep.equal(first.body)
    await postPoints(world, geoamey, moveId, journeyId, batch(northbound(3)), idempotencyKey).expect(422)
    await postPoints(world, geoamey, moveId, journeyId, batch(northbound(3)))
      .set('Idempotency-Key', '')
      .expect(400)
  })

  it('when points fall before the journey started or long after it ended, then they are kept and flagged', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey, { complete: '2031-01-01T11:00:00Z' })
    const points = [
      ...northbound(2, { from: '2031-01-01T09:58:00Z' }),
      ...northbound(1, { from: STARTED_AT }),
      ...northbound(1, { from: '2031-01-01T11:10:00Z' }),
      ...northbound(2, { from: '2031-01-01T11:20:00Z' }),
    ]
    const res = await postPoints(world, geoamey, moveId, journeyId, batch(points)).expect(200)
    expect(res.body.meta).to.deep.equal({ received: 6, stored: 6, duplicates: 0, outside_journey: 4 })
    expect(await stored(journeyId)).to.equal(6)
  })

  describe('when a value is out of its range or missing, then 422 names each member', () => {
    const cases: [string, Partial<Point> & Record<string, unknown>, string][] = [
      ['latitude over 90', { latitude: 90.000001 }, '/data/0/attributes/latitude'],
      ['latitude under -90', { latitude: -91 }, '/data/0/attributes/latitude'],
      ['longitude over 180', { longitude: 180.5 }, '/data/0/attributes/longitude'],
      ['a negative speed', { speed: -1 }, '/data/0/attributes/speed'],
      ['a heading of 360', { heading: 360 }, '/data/0/attributes/heading'],
      ['a negative accuracy', { accuracy: -0.1 }, '/data/0/attributes/accuracy'],
      ['a timestamp that is not one', { timestamp: '2031-02-30T10:00:00Z' }, '/data/0/attributes/timestamp'],
      ['a latitude as a string', { latitude: '51.5' as unknown as number }, '/data/0/attributes/latitude'],
      ['an empty registration', { vehicle_reg: '' }, '/data/0/attributes/vehicle_reg'],
    ]
    let moveId: string
    let journeyId: string
    before(async () => ({ moveId, journeyId } = await movingJourney(world, geoamey)))

    for (const [name, change, pointer] of cases) {
      it(name, async () => {
        const res = await postPoints(
          world,
          geoamey,
          moveId,
          journeyId,
          batch([{ ...northbound(1)[0]!, ...change }]),
        ).expect(422)
        expect(res.body.errors.map((e: { source?: { pointer?: string } }) => e.source?.pointer)).to.include(pointer)
      })
    }

    it('a missing longitude', async () => {
      const { longitude: _, ...point } = northbound(1)[0]!
      const res = await postPoints(world, geoamey, moveId, journeyId, batch([point as Point])).expect(422)
      expect(res.body.errors[0].source.pointer).to.equal('/data/0/attributes/longitude')
    })

    it('an empty batch and one of 1,001 points', async () => {
      for (const points of [[], northbound(1001, { stepSeconds: 1 })]) {
        const res = await postPoints(world, geoamey, moveId, journeyId, batch(points)).expect(422)
        expect(res.body.errors[0].source.pointer).to.equal('/data')
      }
      expect(await stored(journeyId)).to.equal(0)
    })

    it('and the optional members may be null, and a batch of 1,000 is taken', async () => {
      const points = northbound(1000, { stepSeconds: 1 }).map(p => ({
        ...p,
        speed: null,
        heading: 359.9,
        accuracy: null,
      }))
      const res = await postPoints(world, geoamey, moveId, journeyId, batch(points)).expect(200)
      expect(res.body.meta.stored).to.equal(1000)
    })
  })

  it('when a resource is not of type gps_points, then 409 at its type', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey)
    const body = batch(northbound(2))
    body.data[1]!.type = 'points'
    const res = await postPoints(world, geoamey, moveId, journeyId, body).expect(409)
    expect(res.body.errors[0].source.pointer).to.equal('/data/1/type')
  })

  it('when a client other than the driving supplier posts, then the frontend gets 403 and another supplier 404', async () => {
    const { moveId, journeyId } = await movingJourney(world, geoamey)
    await postPoints(world, frontend, moveId, journeyId, batch(northbound(2))).expect(403)
    await postPoints(world, serco, moveId, journeyId, batch(northbound(2))).expect(404)
    await postPoints(world, geoamey, moveId, crypto.randomUUID(), batch(northbound(2))).expect(404)
    expect(await stored(journeyId)).to.equal(0)
  })

  it('when a supplier sees the move (it ends at its prison) but does not supply it, then 403 before the body is read', async () => {
    // Leeds is Serco's and Belmarsh GEOAmey's: Serco supplies the move, GEOAmey sees it.
    const { moveId, journeyId } = await movingJourney(world, serco, { from: 'lei', to: 'bmi' })
    const res = await postPoints(world, geoamey, moveId, journeyId, { data: 'not even points' }).expect(403)
    expect(res.body.errors[0].code).to.equal('forbidden')
    await postPoints(world, serco, moveId, journeyId, batch(northbound(2))).expect(200)
    expect(await stored(journeyId)).to.equal(2)
  })
})
