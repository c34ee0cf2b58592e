import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { location, locationRef, makeMove, moveEvent } from '../lifecycle/fixtures'
import { key } from '../moves/fixtures'

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

export function postPoints(
  app: Express,
  client: TestClient,
  moveId: string,
  journeyId: string,
  body: unknown,
  idempotencyKey = key(),
) {
  return as(app, client)
    .post(`/api/moves/${moveId}/journeys/${journeyId}/gps_points`)
    .set('Idempotency-Key', idempotencyKey)
    .send(body as object)
}

export function journeyEvent(
  app: Express,
  client: TestClient,
  moveId: string,
  id: string,
  event: string,
  timestamp: string,
) {
  return as(app, client)
    .post(`/api/moves/${moveId}/journeys/${id}/${event}`)
    .set('Idempotency-Key', key())
    .send({ data: { type: `${event}s`, attributes: { timestamp } } })
}

/**
 * A move supplied by `supplier`'s client (bsi to iwi), accepted and started, with one journey driven by
 * that supplier and started at STARTED_AT; with `complete`, the journey is completed at that time and the
 * move completed too.
 */
export async function movingJourney(
  app: Express,
  services: Services,
  supplier: TestClient,
  options: { complete?: string; date?: string } = {},
): Promise<{ moveId: string; journeyId: string; date: string }> {
  const move = await makeMove(app, services, supplier, { date: options.date })
  await moveEvent(app, supplier, move.id, 'accept').expect(204)
  await moveEvent(app, supplier, move.id, 'start').expect(204)
  const journeyId = await addJourney(app, services, supplier, move.id)
  await journeyEvent(app, supplier, move.id, journeyId, 'start', STARTED_AT).expect(204)
  if (options.complete) {
    await journeyEvent(app, supplier, move.id, journeyId, 'complete', options.complete).expect(204)
    await moveEvent(app, supplier, move.id, 'complete').expect(204)
  }
  return { moveId: move.id, journeyId, date: move.date }
}

/** A proposed journey of the move, driven by the client's supplier; answers its id. */
export async function addJourney(
  app: Express,
  services: Services,
  client: TestClient,
  moveId: string,
): Promise<string> {
  const res = await as(app, client)
    .post(`/api/moves/${moveId}/journeys`)
    .set('Idempotency-Key', key())
    .send({
      data: {
        type: 'journeys',
        attributes: { timestamp: '2031-01-01T09:00:00Z', vehicle: { id: 'v1', registration: 'GP51 VAN' } },
        relationships: {
          from_location: locationRef(await location(services, 'bsi')),
          to_location: locationRef(await location(services, 'iwi')),
        },
      },
    })
    .expect(201)
  return res.body.data.id as string
}
