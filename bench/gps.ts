import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { isolatedDatabase, runScript, startServer, token } from '../test/support/serverProcess'
import { machineLine } from './database'

/**
 * GPS tracks at scale (issue #20): how many points a second the server stores when vans post batches of
 * 1,000 at once, and how long it takes to read back one long track as GeoJSON and as SVG. The server runs
 * as `npm start` does, in a child process, on a database of its own: a fresh schema on the PostgreSQL of
 * DATABASE_URL, else a temporary PGlite directory.
 */
const V2 = 'application/vnd.api+json; version=2'
const BRINSFORD = '067c2855-fa41-493d-9c80-1311a4f7ba45'
const ISLE_OF_WIGHT = '056eed18-772b-45b3-b64a-4d7d563641f7'
const START = Date.parse('2026-11-23T06:00:00Z')

type Credentials = { client_id: string; client_secret: string }

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '40000' },
      vans: { type: 'string', default: '4' },
      reads: { type: 'string', default: '10' },
    },
  })
  const [points, vans, reads] = [Number(values.points), Number(values.vans), Number(values.reads)]
  if (!(points >= 1000 && points <= 10_000_000) || !(vans >= 1 && vans <= 50) || !(reads >= 1 && reads <= 1000)) {
    throw new Error('--points 1,000 to 10,000,000, --vans 1 to 50, --reads 1 to 1,000')
  }
  const database = await isolatedDatabase()
  const clients: Credentials[] = []
  for (const args of [
    ['--name', 'bench-frontend'],
    ['--name', 'bench-supplier', '--supplier', 'geoamey'],
  ]) {
    clients.push(JSON.parse(await runScript('scripts/clients-create.ts', args, database.env)) as Credentials)
  }
  const server = await startServer({ ...database.env, RATE_LIMIT_PER_MINUTE: '100000000' })
  try {
    const [frontend, supplier] = [await token(server.url, clients[0]!), await token(server.url, clients[1]!)]
    const call = async (bearer: string, method: string, path: string, body?: unknown, accept = V2) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          Accept: accept,
          'Content-Type': 'application/vnd.api+json',
          'Idempotency-Key': randomUUID(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
      return text
    }
    const json = async (bearer: string, method: string, path: string, body?: unknown) =>
      JSON.parse((await call(bearer, method, path, body)) || '{}') as { data: { id: string } }

    // One move, one journey per van, each started: every point is inside its journey's life.
    const people = JSON.parse(await call(frontend, 'GET', '/api/people?filter%5Bprison_number%5D=G8133UA')) as {
      data: { id: string }[]
    }
    const profile = await json(frontend, 'POST', `/api/people/${people.data[0]!.id}/profiles`, {
      data: { type: 'profiles' },
    })
    const location = (id: string) => ({ data: { type: 'locations', id } })
    const move = await json(frontend, 'POST', '/api/moves', {
      data: {
        type: 'moves',
        attributes: { move_type: 'prison_transfer', status: 'requested', date: '2026-11-23' },
        relationships: {
          from_location: location(BRINSFORD),
          to_location: location(ISLE_OF_WIGHT),
          profile: { data: { type: 'profiles', id: profile.data.id } },
        },
      },
    })
    const moveId = move.data.id
    const event = (path: string, type: string) =>
      call(supplier, 'POST', path, { data: { type, attributes: { timestamp: new Date(START).toISOString() } } })
    await event(`/api/moves/${moveId}/accept`, 'accepts')
    await event(`/api/moves/${moveId}/start`, 'starts')
    const journeys: string[] = []
    for (let van = 0; van < vans; van++) {
      const journey = await json(supplier, 'POST', `/api/moves/${moveId}/journeys`, {
        data: {
          type: 'journeys',
          attributes: { timestamp: new Date(START).toISOString(), vehicle: { registration: `GP${van} VAN` } },
          relationships: { from_location: location(BRINSFORD), to_location: location(ISLE_OF_WIGHT) },
        },
      })
      await event(`/api/moves/${moveId}/journeys/${journey.data.id}/start`, 'starts')
      journeys.push(journey.data.id)
    }

    // Each van reports once a second, 1,000 points a request, the vans at once.
    const perVan = Math.ceil(points / vans / 1000) * 1000
    const batch = (van: number, first: number) => ({
      data: Array.from({ length: 1000 }, (_, i) => {
        const n = first + i
        return {
          type: 'gps_points',
          attributes: {
            latitude: 52.64 - n * 0.00005,
            longitude: -2.1 + van * 0.01 + Math.sin(n / 500) * 0.01,
            timestamp: new Date(START + n * 1000).toISOString(),
            speed: 13.4,
            heading: 180,
            accuracy: 5,
            vehicle_reg: `GP${van} VAN`,
          },
        }
      }),
    })
    const ingestStarted = process.hrtime.bigint()
    await Promise.all(
      journeys.map(async (journeyId, van) => {
        for (let first = 0; first < perVan; first += 1000) {
          await call(supplier, 'POST', `/api/moves/${moveId}/journeys/${journeyId}/gps_points`, batch(van, first))
        }
      }),
    )
    const ingestSeconds = Number(process.hrtime.bigint() - ingestStarted) / 1e9
    const stored = perVan * vans
    console.log(
      `ingestion: ${stored} points in ${stored / 1000} requests of 1,000 from ${vans} vans at once: ` +
        `${ingestSeconds.toFixed(1)} s, ${Math.round(stored / ingestSeconds)} points/s`,
    )

    // Reading: the whole move (every van's track) as GeoJSON and as SVG, one request at a time.
    for (const [label, path, accept] of [
      ['GeoJSON', `/api/moves/${moveId}/track`, 'application/geo+json'],
      ['SVG', `/api/moves/${moveId}/track.svg`, 'image/svg+xml'],
    ] as const) {
      const times: number[] = []
      let bytes = 0
      for (let i = 0; i < reads; i++) {
        const started = process.hrtime.bigint()
        bytes = (await call(frontend, 'GET', path, undefined, accept)).length
        times.push(Number(process.hrtime.bigint() - started) / 1e6)
      }
      times.sort((a, b) => a - b)
      console.log(
        `read ${label}: ${vans} journeys of ${perVan} points (${stored} in all), ${(bytes / 1e6).toFixed(1)} MB: ` +
          `median ${Math.round(times[Math.floor(times.length / 2)]!)} ms, worst ${Math.round(times.at(-1)!)} ms over ${reads}`,
      )
    }
    console.log(machineLine())
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    await database.drop()
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})
