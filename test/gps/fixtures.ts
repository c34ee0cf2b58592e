import type { TestClient } from '../support/app'
import { aJourney, aMoveUnderWay, moveEvent, post } from '../support/builders'
import type { World } from '../support/world'

/** When the test journeys start: points from here on are inside their life. */
export const STARTED_AT = '2031-01-01T10:00:00Z'

export type Point = {
  latitude: number
  longitude: number
  timestamp: string
  speed?: number | null
  heading?: number | null
  accuracy?: number | null
  vehicle_reg?: string | null
}

/** Points every `stepSeconds` from `from`, heading north from (51.5, -0.1) by `stepDegrees` of latitude each. */
export function northbound(count: number, options: { from?: string; stepSeconds?: number; stepDegrees?: number } = {}) {
  const from = Date.parse(options.from ?? STARTED_AT)
  return Array.from({ length: count }, (_, i): Point => ({
    latitude: 51.5 + i * (options.stepDegrees ?? 0.001),
    longitude: -0.1,
    timestamp: new Date(from + i * (options.stepSeconds ?? 10) * 1000).toISOString(),
    vehicle_reg: 'GP51 VAN',
  }))
}

export const batch = (points: readonly Point[]) => ({
  data: points.map(attributes => ({ type: 'gps_points', attributes })),
})

/** POST a batch of points to the journey as `by` (a fresh Idempotency-Key unless given); not yet awaited. */
export function postPoints(
  world: World,
  by: TestClient,
  moveId: string,
  journeyId: string,
  body: unknown,
  key?: string,
) {
  const request = post(world, by, `/api/moves/${moveId}/journeys/${journeyId}/gps_points`)
  return (key ? request.set('Idempotency-Key', key) : request).send(body as object)
}

/** A journey event (start, complete...) at `timestamp`, as `by`; not yet awaited. */
export function journeyEvent(
  world: World,
  by: TestClient,
  moveId: string,
  id: string,
  event: string,
  timestamp: string,
) {
  return post(world, by, `/api/moves/${moveId}/journeys/${id}/${event}`).send({
    data: { type: `${event}s`, attributes: { timestamp } },
  })
}

/**
 * A move supplied by `by`'s supplier (bsi to iwi unless given), accepted and started, with one journey
 * it drives (vehicle GP51 VAN) started at STARTED_AT; with `complete`, the journey is completed at that
 * time and the move completed too.
 */
export async function movingJourney(
  world: World,
  by: TestClient,
  options: { complete?: string; date?: string; from?: string; to?: string } = {},
): Promise<{ moveId: string; journeyId: string; date: string }> {
  const move = await aMoveUnderWay(world, { by, date: options.date, from: options.from, to: options.to })
  const journey = await aJourney(world, move.id, {
    by,
    from: options.from,
    to: options.to,
    attributes: { vehicle: { id: 'v1', registration: 'GP51 VAN' } },
  })
  await journeyEvent(world, by, move.id, journey.id, 'start', STARTED_AT).expect(204)
  if (options.complete) {
    await journeyEvent(world, by, move.id, journey.id, 'complete', options.complete).expect(204)
    await moveEvent(world, by, move.id, 'complete').expect(204)
  }
  return { moveId: move.id, journeyId: journey.id, date: move.date }
}
