import distance from '@turf/distance'

/**
 * The rules of a GPS track, pure (issue #20). Distances are metres, gaps seconds, positions WGS84
 * degrees. Facts from the reference (book-a-secure-move-events-assessments.md §3): a journey's data
 * fails with fewer than 2 points (`no_gps_data`) or any gap between consecutive points over 60 seconds
 * (`gps_data_gap`); a move without journeys fails (`no_journeys`); the goal is 95% of moves passing.
 */

/** One point of a track, in time order within its journey. */
export type TrackPoint = { recordedAt: Date; latitude: number; longitude: number }

/** The longest gap between consecutive points that still passes, in seconds (the reference's 60). */
export const GAP_LIMIT_SECONDS = 60

/** The reference's goal: the share of completed moves whose tracks pass. */
export const PASS_RATE_GOAL = 0.95

/** A point this long after its journey ended is no longer part of it (a van reporting on its way back). */
export const AFTER_END_GRACE_SECONDS = 15 * 60

export type FailureReason = 'no_journeys' | 'no_gps_data' | 'gps_data_gap'

/** A gap over the limit, between the points at `from` and `from + 1` of the track. */
export type Gap = { from: number; seconds: number }

/** What is measured of one journey's points. */
export type TrackSummary = {
  pointCount: number
  /** Along the points in time order, on a sphere (haversine), in metres; 0 for fewer than 2 points. */
  distanceMetres: number
  /** The longest time between consecutive points in seconds; null for fewer than 2 points. */
  largestGapSeconds: number | null
  /** Every gap over GAP_LIMIT_SECONDS, in track order. */
  gaps: Gap[]
}

/**
 * Great-circle distance between two points in metres. @turf/distance (haversine, mean Earth radius
 * 6,371,008.8 m) rather than our own formula: well kept and typed, and within 0.5% of the ellipsoid,
 * far finer than a phone's GPS fix or the gap rule need.
 */
export function metresBetween(a: TrackPoint, b: TrackPoint): number {
  return distance([a.longitude, a.latitude], [b.longitude, b.latitude], { units: 'meters' })
}

/** Distance, largest gap and the gaps over the limit of one journey's points, given in time order. */
export function summariseTrack(points: readonly TrackPoint[]): TrackSummary {
  let distanceMetres = 0
  let largestGapSeconds: number | null = null
  const gaps: Gap[] = []
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!
    const point = points[i]!
    distanceMetres += metresBetween(previous, point)
    const seconds = (point.recordedAt.getTime() - previous.recordedAt.getTime()) / 1000
    if (largestGapSeconds === null || seconds > largestGapSeconds) largestGapSeconds = seconds
    if (seconds > GAP_LIMIT_SECONDS) gaps.push({ from: i - 1, seconds })
  }
  return { pointCount: points.length, distanceMetres, largestGapSeconds, gaps }
}

/** Why one journey's track fails the quality rule, or null when it passes. */
export function journeyFailure(summary: {
  pointCount: number
  largestGapSeconds: number | null
}): FailureReason | null {
  if (summary.pointCount < 2) return 'no_gps_data'
  if (summary.largestGapSeconds !== null && summary.largestGapSeconds > GAP_LIMIT_SECONDS) return 'gps_data_gap'
  return null
}

/** Why a move fails: no journeys, else its first failing journey's reason; null when every journey passes. */
export function moveFailure(
  journeys: readonly { pointCount: number; largestGapSeconds: number | null }[],
): FailureReason | null {
  if (!journeys.length) return 'no_journeys'
  for (const journey of journeys) {
    const reason = journeyFailure(journey)
    if (reason) return reason
  }
  return null
}

/**
 * When a journey was under way: from its start event to its completion or cancellation (null while it
 * has not started or has not ended), as recorded on the move's timeline.
 */
export type JourneyLife = { startedAt: Date | null; endedAt: Date | null }

/** A point before its journey started (or of a journey not started) or long after it ended is flagged, not dropped. */
export function outsideJourney(recordedAt: Date, life: JourneyLife): boolean {
  if (!life.startedAt || recordedAt < life.startedAt) return true
  return life.endedAt !== null && recordedAt.getTime() > life.endedAt.getTime() + AFTER_END_GRACE_SECONDS * 1000
}

/** The share of passing among all, or null when there is nothing to count. */
export function passRate(passing: number, all: number): number | null {
  return all ? passing / all : null
}
