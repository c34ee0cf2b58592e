import type { Feature, FeatureCollection, LineString } from 'geojson'
import type { JourneyTrack } from '../../lib/gps/tracks'

/** GeoJSON's media type (RFC 7946 §12). */
export const GEOJSON_MEDIA_TYPE = 'application/geo+json'

/** What each journey's Feature carries besides its line (openapi.yaml TrackFeature). */
export type TrackProperties = {
  journey_id: string
  journey_number: number
  state: string
  vehicle_registration: string | null
  start: string | null
  end: string | null
  point_count: number
  distance_m: number
  largest_gap_s: number | null
  gaps: { from: string; to: string; seconds: number }[]
  points_outside_journey: number
  journey_started_at: string | null
  journey_ended_at: string | null
}

/** Six decimals of a degree are about 0.1 m, finer than any GPS fix (RFC 7946 §11.2). */
const round6 = (degrees: number) => Math.round(degrees * 1e6) / 1e6

/**
 * A move's track as a FeatureCollection: a Feature per journey whose geometry is the LineString of its
 * points in time order (`[longitude, latitude]`), or null with fewer than 2 points, since a LineString
 * needs two positions (RFC 7946 §3.1.4).
 */
export function trackGeoJson(journeys: readonly JourneyTrack[]): FeatureCollection<LineString | null, TrackProperties> {
  return {
    type: 'FeatureCollection',
    features: journeys.map((track): Feature<LineString | null, TrackProperties> => {
      const { points, summary, life, journey } = track
      return {
        type: 'Feature',
        id: journey.id,
        geometry:
          points.length < 2
            ? null
            : { type: 'LineString', coordinates: points.map(p => [round6(p.longitude), round6(p.latitude)]) },
        properties: {
          journey_id: journey.id,
          journey_number: journey.number,
          state: journey.state,
          vehicle_registration: track.vehicleRegistration,
          start: points[0]?.recordedAt.toISOString() ?? null,
          end: points.at(-1)?.recordedAt.toISOString() ?? null,
          point_count: summary.pointCount,
          distance_m: Math.round(summary.distanceMetres * 10) / 10,
          largest_gap_s: summary.largestGapSeconds,
          gaps: summary.gaps.map(gap => ({
            from: points[gap.from]!.recordedAt.toISOString(),
            to: points[gap.from + 1]!.recordedAt.toISOString(),
            seconds: gap.seconds,
          })),
          points_outside_journey: track.pointsOutsideJourney,
          journey_started_at: life.startedAt?.toISOString() ?? null,
          journey_ended_at: life.endedAt?.toISOString() ?? null,
        },
      }
    }),
  }
}
