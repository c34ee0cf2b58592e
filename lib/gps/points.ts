import type { Tx } from '../../db/client'
import type { JourneyLife, TrackPoint } from './rules'

/** A point as a supplier sends it (openapi.yaml GpsPoint): WGS84 degrees, m/s, degrees from north, metres. */
export type GpsPointInput = TrackPoint & {
  speed?: number
  heading?: number
  accuracy?: number
  vehicleReg?: string
}

/** A stored point as the track reads it. */
export type StoredPoint = TrackPoint & { vehicleReg: string | null }

/**
 * Stores a batch of one journey's points in one statement. A point whose journey and timestamp are
 * already stored, by an earlier batch or earlier in this one, is skipped (the first one stays).
 * Answers the timestamps stored now.
 */
export async function insertPoints(
  tx: Tx,
  journeyId: string,
  points: readonly GpsPointInput[],
  receivedAt: Date,
): Promise<Date[]> {
  if (!points.length) return []
  const rows = (await tx('gps_points')
    .insert(
      points.map(p => ({
        journey_id: journeyId,
        recorded_at: p.recordedAt,
        latitude: p.latitude,
        longitude: p.longitude,
        received_at: receivedAt,
        speed: p.speed ?? null,
        heading: p.heading ?? null,
        accuracy: p.accuracy ?? null,
        vehicle_reg: p.vehicleReg ?? null,
      })),
    )
    .onConflict(['journey_id', 'recorded_at'])
    .ignore()
    .returning('recorded_at')) as { recorded_at: Date | string }[]
  return rows.map(r => new Date(r.recorded_at))
}

/** Each journey's points in time order, by journey id; a journey without points is absent. */
export async function journeyPoints(tx: Tx, journeyIds: readonly string[]): Promise<Map<string, StoredPoint[]>> {
  const byJourney = new Map<string, StoredPoint[]>()
  if (!journeyIds.length) return byJourney
  const rows = (await tx('gps_points')
    .select('journey_id', 'recorded_at', 'latitude', 'longitude', 'vehicle_reg')
    .whereIn('journey_id', journeyIds)
    .orderBy([{ column: 'journey_id' }, { column: 'recorded_at' }])) as {
    journey_id: string
    recorded_at: Date | string
    latitude: number
    longitude: number
    vehicle_reg: string | null
  }[]
  for (const row of rows) {
    let points = byJourney.get(row.journey_id)
    if (!points) byJourney.set(row.journey_id, (points = []))
    points.push({
      recordedAt: new Date(row.recorded_at),
      latitude: Number(row.latitude),
      longitude: Number(row.longitude),
      vehicleReg: row.vehicle_reg,
    })
  }
  return byJourney
}

const START_EVENTS = ['JourneyStart']
const END_EVENTS = ['JourneyComplete', 'JourneyCancel']

/**
 * Each journey's life from the move's timeline: its first start, and, when it is completed or
 * cancelled now, the last completion or cancellation. Journeys never started have no start.
 */
export async function journeyLives(
  tx: Tx,
  journeys: readonly { id: string; move_id: string; state: string }[],
): Promise<Map<string, JourneyLife>> {
  const lives = new Map<string, JourneyLife>(journeys.map(j => [j.id, { startedAt: null, endedAt: null }]))
  if (!journeys.length) return lives
  const ended = new Set(journeys.filter(j => j.state === 'completed' || j.state === 'cancelled').map(j => j.id))
  const events = (await tx('move_events')
    .select('event_type', 'occurred_at', tx.raw(`details->>'journey_id' as journey_id`))
    .whereIn('move_id', [...new Set(journeys.map(j => j.move_id))])
    .whereIn('event_type', [...START_EVENTS, ...END_EVENTS])
    .orderBy([{ column: 'occurred_at' }, { column: 'id' }])) as {
    event_type: string
    occurred_at: Date | string
    journey_id: string | null
  }[]
  for (const event of events) {
    const life = event.journey_id ? lives.get(event.journey_id) : undefined
    if (!life) continue
    const at = new Date(event.occurred_at)
    if (START_EVENTS.includes(event.event_type)) life.startedAt ??= at
    else if (ended.has(event.journey_id!)) life.endedAt = at
  }
  return lives
}
