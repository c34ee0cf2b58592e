import { expect } from 'chai'
import supertest from 'supertest'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { aJourney } from '../support/builders'
import { testWorld, type World } from '../support/world'
import { batch, movingJourney, postPoints, STARTED_AT, type Point } from './fixtures'

/** Nine points due north 0.001° (111.195 m) apart, 10 s apart but for one gap of 90 s after the sixth. */
function trackWithGap(): Point[] {
  const start = Date.parse(STARTED_AT)
  return Array.from({ length: 9 }, (_, i) => ({
    latitude: 51.5 + i * 0.001,
    longitude: -0.1,
    timestamp: new Date(start + (i < 6 ? i * 10 : 50 + 90 + (i - 6) * 10) * 1000).toISOString(),
    vehicle_reg: 'GP51 VAN',
  }))
}

describe('GPS tracks: reading a move’s track as GeoJSON and as a picture', () => {
  let world: World
  let services: Services
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient
  let moveId: string
  let journeyId: string
  let emptyJourneyId: string

  before(async () => {
    world = await testWorld()
    ;({ services, frontend, geoamey, serco } = world)
    ;({ moveId, journeyId } = await movingJourney(world, geoamey))
    await postPoints(world, geoamey, moveId, journeyId, batch(trackWithGap().reverse())).expect(200)
    emptyJourneyId = (await aJourney(world, moveId, { by: geoamey })).id
  })

  const get = (client: TestClient, url: string, accept?: string) => {
    const test = supertest(world.app).get(url).set('Authorization', `Bearer ${client.token}`)
    return accept === undefined ? test : test.set('Accept', accept)
  }

  it('when the track is asked for as GeoJSON, then each journey is a Feature with its line, distance and gaps', async () => {
    const res = await get(geoamey, `/api/moves/${moveId}/track`, 'application/geo+json').expect(200)
    expect(res.headers['content-type']).to.equal('application/geo+json')
    const body = JSON.parse(res.text)
    expect(body.type).to.equal('FeatureCollection')
    expect(body.features.map((f: { id: string }) => f.id)).to.deep.equal([journeyId, emptyJourneyId])
    const [feature, empty] = body.features
    expect(feature.type).to.equal('Feature')
    expect(feature.geometry.type).to.equal('LineString')
    expect(feature.geometry.coordinates).to.deep.equal(trackWithGap().map(p => [p.longitude, p.latitude]))
    expect(feature.properties).to.deep.equal({
      journey_id: journeyId,
      journey_number: 1,
      state: 'in_progress',
      vehicle_registration: 'GP51 VAN',
      start: '2031-01-01T10:00:00.000Z',
      end: '2031-01-01T10:02:40.000Z',
      point_count: 9,
      // 8 steps of 0.001° along a meridian: 8 × 6,371,008.8 m × π/180,000.
      distance_m: 889.6,
      largest_gap_s: 90,
      gaps: [{ from: '2031-01-01T10:00:50.000Z', to: '2031-01-01T10:02:20.000Z', seconds: 90 }],
      points_outside_journey: 0,
      journey_started_at: '2031-01-01T10:00:00.000Z',
      journey_ended_at: null,
    })
    expect(empty.geometry).to.equal(null)
    expect(empty.properties).to.include({ point_count: 0, distance_m: 0, largest_gap_s: null, start: null })
  })

  it('when Accept allows GeoJSON through a wildcard or is absent, then GeoJSON; when it does not, then 406 as JSON:API', async () => {
    for (const accept of ['*/*', 'application/*', 'application/geo+json;q=0.5, text/html', undefined]) {
      const res = await get(geoamey, `/api/moves/${moveId}/track`, accept).expect(200)
      expect(res.headers['content-type']).to.equal('application/geo+json')
    }
    for (const accept of ['application/vnd.api+json; version=2', 'text/html', 'image/svg+xml']) {
      const res = await get(geoamey, `/api/moves/${moveId}/track`, accept).expect(406)
      expect(res.headers['content-type']).to.equal('application/vnd.api+json')
      expect(res.body.errors[0].source).to.deep.equal({ header: 'Accept' })
    }
  })

  it('when the picture is asked for, then an SVG marks each journey’s start, end and gaps', async () => {
    const res = await get(geoamey, `/api/moves/${moveId}/track.svg`, 'image/svg+xml').expect(200)
    expect(res.headers['content-type']).to.equal('image/svg+xml')
    const svg = res.text ?? String(res.body)
    const reference = (await services.db('moves').where({ id: moveId }).first('reference')).reference as string
    expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(svg).to.contain(`<title>GPS track of move ${reference}</title>`)
    expect(svg.match(/class="start"/g)).to.have.length(1)
    expect(svg.match(/class="end"/g)).to.have.length(1)
    expect(svg.match(/class="gap"/g)).to.have.length(1)
    expect(svg).to.contain('>90 s</text>')
    // The gap splits the route in two lines.
    expect(svg.match(/class="route"/g)).to.have.length(2)
    expect(svg.trimEnd()).to.match(/<\/svg>$/)
    await get(geoamey, `/api/moves/${moveId}/track.svg`, 'application/vnd.api+json').expect(406)
    await get(geoamey, `/api/moves/${moveId}/track.svg`, '*/*').expect(200)
  })

  it('when a move has no points, then its picture says so', async () => {
    const other = await movingJourney(world, geoamey)
    const res = await get(geoamey, `/api/moves/${other.moveId}/track.svg`).expect(200)
    expect(res.text ?? String(res.body)).to.contain('No GPS points for move')
  })

  it('when a client may not see the move, then 404; the frontend sees every journey', async () => {
    await get(serco, `/api/moves/${moveId}/track`).expect(404)
    await get(serco, `/api/moves/${moveId}/track.svg`).expect(404)
    await get(geoamey, `/api/moves/${crypto.randomUUID()}/track`).expect(404)
    const res = await get(frontend, `/api/moves/${moveId}/track`).expect(200)
    expect(JSON.parse(res.text).features).to.have.length(2)
    // The JSON:API routes are as they were.
    await as(world.app, geoamey).get(`/api/moves/${moveId}/journeys`).expect(200)
  })

  it('when points arrived before the journey started, then they stay in the line and are counted as outside', async () => {
    const other = await movingJourney(world, geoamey)
    const early = trackWithGap().map(p => ({
      ...p,
      timestamp: new Date(Date.parse(p.timestamp) - 3600_000).toISOString(),
    }))
    await postPoints(world, geoamey, other.moveId, other.journeyId, batch(early)).expect(200)
    const res = await get(geoamey, `/api/moves/${other.moveId}/track`).expect(200)
    expect(JSON.parse(res.text).features[0].properties).to.include({ point_count: 9, points_outside_journey: 9 })
    const svg = await get(geoamey, `/api/moves/${other.moveId}/track.svg`).expect(200)
    expect((svg.text ?? String(svg.body)).match(/class="outside"/g)).to.have.length(9)
  })
})
