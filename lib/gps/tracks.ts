import type { Tx } from '../../db/client'
import { DomainError } from '../errors'
import type { Write } from '../write'
import { findJourney, listJourneys, type JourneyRow } from '../moves/journeys'
import { findMove } from '../moves/moves'
import { insertPoints, journeyLives, journeyPoints, type GpsPointInput, type StoredPoint } from './points'
import { outsideJourney, summariseTrack, type JourneyLife, type TrackSummary } from './rules'

type Client = { id: string; supplierId: string | null }

/** The most points one request may send (openapi.yaml GpsPointsBatch's maxItems). */
export const MAX_POINTS_PER_BATCH = 1000

/** What became of a batch: every point received is either stored or a duplicate of a stored one. */
export type GpsReceipt = {
  received: number
  stored: number
  /** Points whose journey and timestamp were already stored, or repeated within the batch. */
  duplicates: number
  /** Of the points stored now, those outside the journey's life as the timeline knows it now (kept, flagged). */
  outsideJourney: number
}

/**
 * Records a batch of a journey's GPS points. Only the supplier driving the journey sends them: another
 * supplier's token cannot see the journey (404, as for the journey itself), and the frontend's, which
 * drives nothing, is refused (403). Points outside the journey's life are kept and counted.
 */
export async function recordGpsPoints(
  { tx, clock }: Write,
  input: { moveId: string; journeyId: string; points: readonly GpsPointInput[] },
  client: Client,
): Promise<GpsReceipt> {
  if (!client.supplierId) {
    throw new DomainError('forbidden', 'Only the supplier driving the journey sends its GPS points')
  }
  const journey = await findJourney(tx, input.moveId, input.journeyId, client)
  const stored = await insertPoints(tx, journey.id, input.points, clock.now())
  const life = (await journeyLives(tx, [journey])).get(journey.id)!
  return {
    received: input.points.length,
    stored: stored.length,
    duplicates: input.points.length - stored.length,
    outsideJourney: stored.filter(at => outsideJourney(at, life)).length,
  }
}

/** One journey's part of a move's track: its points in time order, what they measure, and its life. */
export type JourneyTrack = {
  journey: JourneyRow
  points: StoredPoint[]
  life: JourneyLife
  summary: TrackSummary
  /** The registration on the journey, else the last one a point carried. */
  vehicleRegistration: string | null
  /** Points outside the journey's life: still part of the track, flagged by this count. */
  pointsOutsideJourney: number
}

function lastRegistration(points: readonly StoredPoint[]): string | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.vehicleReg) return points[i]!.vehicleReg
  return null
}

/**
 * A move's track: one part per journey the client may see (a supplier sees the journeys it drives, on a
 * move it may see, as `GET /api/moves/{id}/journeys` does), in journey order.
 */
export async function moveTrack(
  tx: Tx,
  moveId: string,
  client: Client,
): Promise<{ moveId: string; reference: string; journeys: JourneyTrack[] }> {
  const move = await findMove(tx, moveId, client.supplierId)
  const journeys = (await listJourneys(tx, moveId, client)).sort((a, b) => a.number - b.number)
  const ids = journeys.map(j => j.id)
  const [points, lives] = await Promise.all([journeyPoints(tx, ids), journeyLives(tx, journeys)])
  return {
    moveId,
    reference: move.reference,
    journeys: journeys.map(journey => {
      const track = points.get(journey.id) ?? []
      const life = lives.get(journey.id)!
      return {
        journey,
        points: track,
        life,
        summary: summariseTrack(track),
        vehicleRegistration: journey.vehicle?.registration ?? lastRegistration(track),
        pointsOutsideJourney: track.filter(p => outsideJourney(p.recordedAt, life)).length,
      }
    }),
  }
}
