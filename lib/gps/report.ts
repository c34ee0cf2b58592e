import type { Tx } from '../../db/client'
import { daysBetween } from '../calendar'
import { invalidValue } from '../jsonapi/query'
import { moveFailure, journeyFailure, passRate, PASS_RATE_GOAL, type FailureReason } from './rules'

/** The longest range one report covers, in days, so that one request stays one bounded query. */
export const MAX_REPORT_DAYS = 93

export type ReportJourney = { journeyId: string; pointCount: number; largestGapSeconds: number | null; passes: boolean }

export type ReportMove = {
  moveId: string
  reference: string
  /** YYYY-MM-DD */
  date: string
  /** The supplier's key (geoamey, serco), or null for a move without one. */
  supplier: string | null
  journeys: ReportJourney[]
  pointCount: number
  largestGapSeconds: number | null
  passes: boolean
  failureReason: FailureReason | null
}

/** Moves counted, moves passing, their share (null with no moves) and whether it meets the 95% goal. */
export type PassRate = { moves: number; passing: number; passRate: number | null; meetsGoal: boolean | null }

/** The quality of the tracks of the moves completed in a range of dates. */
export type GpsQualityReport = {
  dateFrom: string
  dateTo: string
  moves: ReportMove[]
  summary: PassRate
  /** By supplier key, as the reference judges each supplier on its own. */
  suppliers: Record<string, PassRate>
}

function rate(moves: readonly ReportMove[]): PassRate {
  const passing = moves.filter(m => m.passes).length
  const share = passRate(passing, moves.length)
  return { moves: moves.length, passing, passRate: share, meetsGoal: share === null ? null : share >= PASS_RATE_GOAL }
}

type Row = {
  move_id: string
  reference: string
  date: string
  supplier: string | null
  journey_id: string | null
  point_count: number
  largest_gap: number | null
}

/**
 * The quality of each completed move dated from `dateFrom` to `dateTo` (inclusive, YYYY-MM-DD): per journey
 * driven (not cancelled or rejected) its point count and largest gap, and whether the move passes (at least
 * 2 points per journey and no gap over 60 seconds; a move without journeys fails), as the reference's
 * GPSReport decides. Gaps are counted in the database, over the points' primary key in time order.
 * Throws 400 invalid_query_parameter when the range is reversed or longer than MAX_REPORT_DAYS.
 */
export async function gpsQualityReport(tx: Tx, range: { dateFrom: string; dateTo: string }): Promise<GpsQualityReport> {
  const days = daysBetween(range.dateFrom, range.dateTo)
  if (days < 0) throw invalidValue('date_to', 'must not be before date_from')
  if (days >= MAX_REPORT_DAYS) throw invalidValue('date_to', `must be within ${MAX_REPORT_DAYS} days of date_from`)
  const { rows } = (await tx.raw(
    `select m.id as move_id, m.reference, m.date::text as date, s.key as supplier, j.id as journey_id,
            coalesce(p.point_count, 0) as point_count, p.largest_gap
       from moves m
       left join suppliers s on s.id = m.supplier_id
       left join journeys j on j.move_id = m.id and j.state not in ('cancelled', 'rejected')
       left join lateral (
         select count(*)::int as point_count, max(gap)::float8 as largest_gap
           from (select extract(epoch from recorded_at - lag(recorded_at) over (order by recorded_at)) as gap
                   from gps_points g where g.journey_id = j.id) gaps
       ) p on j.id is not null
      where m.status = 'completed' and m.date between ? and ?
      order by m.date, m.reference, j.number`,
    [range.dateFrom, range.dateTo],
  )) as { rows: Row[] }
  const moves = new Map<string, ReportMove>()
  for (const row of rows) {
    let move = moves.get(row.move_id)
    if (!move) {
      move = {
        moveId: row.move_id,
        reference: row.reference,
        date: row.date,
        supplier: row.supplier,
        journeys: [],
        pointCount: 0,
        largestGapSeconds: null,
        passes: false,
        failureReason: null,
      }
      moves.set(row.move_id, move)
    }
    if (!row.journey_id) continue
    const journey = {
      journeyId: row.journey_id,
      pointCount: Number(row.point_count),
      largestGapSeconds: row.largest_gap === null ? null : Number(row.largest_gap),
    }
    move.journeys.push({ ...journey, passes: journeyFailure(journey) === null })
    move.pointCount += journey.pointCount
    if (journey.largestGapSeconds !== null) {
      move.largestGapSeconds = Math.max(move.largestGapSeconds ?? 0, journey.largestGapSeconds)
    }
  }
  const all = [...moves.values()]
  for (const move of all) {
    move.failureReason = moveFailure(move.journeys)
    move.passes = move.failureReason === null
  }
  const suppliers: Record<string, PassRate> = {}
  for (const key of [...new Set(all.map(m => m.supplier).filter(s => s !== null))].sort()) {
    suppliers[key] = rate(all.filter(m => m.supplier === key))
  }
  return { dateFrom: range.dateFrom, dateTo: range.dateTo, moves: all, summary: rate(all), suppliers }
}

/** Keeps a report whole, with its figures in columns for looking back over the weeks; answers its id. */
export async function storeGpsQualityReport(tx: Tx, report: GpsQualityReport, now: Date): Promise<string> {
  const id = crypto.randomUUID()
  await tx('gps_quality_reports').insert({
    id,
    date_from: report.dateFrom,
    date_to: report.dateTo,
    moves: report.summary.moves,
    passing: report.summary.passing,
    pass_rate: report.summary.passRate,
    report: JSON.stringify(report),
    created_at: now,
  })
  return id
}
