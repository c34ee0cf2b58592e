import { DomainError, member } from '../../lib/errors'
import { gpsQualityReport, type GpsQualityReport } from '../../lib/gps/report'
import { PASS_RATE_GOAL } from '../../lib/gps/rules'
import { moveTrack, recordGpsPoints } from '../../lib/gps/tracks'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, write, type Handler, type HandlerTable } from '../context'
import type { ContractBody } from '../jsonapiBody'
import { GEOJSON_MEDIA_TYPE, trackGeoJson } from './geojson'
import { SVG_MEDIA_TYPE, trackSvg } from './svg'

const JSONAPI = { version: '1.1' }

function rateView(rate: GpsQualityReport['summary']) {
  return { moves: rate.moves, passing: rate.passing, pass_rate: rate.passRate, meets_goal: rate.meetsGoal }
}

/** The report as a JSON:API document (openapi.yaml GpsQualityDocument): a gps_quality resource per move. */
export function gpsQualityDocument(report: GpsQualityReport) {
  return {
    jsonapi: JSONAPI,
    data: report.moves.map(move => ({
      type: 'gps_quality',
      id: move.moveId,
      attributes: {
        reference: move.reference,
        date: move.date,
        supplier: move.supplier,
        journeys: move.journeys.map(j => ({
          journey_id: j.journeyId,
          point_count: j.pointCount,
          largest_gap_s: j.largestGapSeconds,
          passes: j.passes,
        })),
        point_count: move.pointCount,
        largest_gap_s: move.largestGapSeconds,
        passes: move.passes,
        failure_reason: move.failureReason,
      },
    })),
    meta: {
      date_from: report.dateFrom,
      date_to: report.dateTo,
      goal: PASS_RATE_GOAL,
      summary: rateView(report.summary),
      suppliers: Object.fromEntries(Object.entries(report.suppliers).map(([key, rate]) => [key, rateView(rate)])),
    },
  }
}

export function gpsHandlers(services: Services): HandlerTable {
  const { db } = services
  const who = (req: Parameters<Handler>[0]) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }

  return {
    recordGpsPoints: write(async (req, w) => {
      const body = req.body as ContractBody<'recordGpsPoints'>
      // A JSON:API type the endpoint does not take is a conflict (409), not a validation error.
      body.data.forEach((resource, i) => {
        if (resource.type !== 'gps_points') {
          throw new DomainError('type_conflict', 'data.type must be gps_points', { subject: member('data', i, 'type') })
        }
      })
      const points = body.data.map(({ attributes: a }) => ({
        recordedAt: new Date(a.timestamp),
        latitude: a.latitude,
        longitude: a.longitude,
        speed: a.speed ?? undefined,
        heading: a.heading ?? undefined,
        accuracy: a.accuracy ?? undefined,
        vehicleReg: a.vehicle_reg ?? undefined,
      }))
      const input = { moveId: String(req.params.id), journeyId: String(req.params.journey_id), points }
      const receipt = await recordGpsPoints(w, input, who(req))
      return jsonApiResponse(200, {
        jsonapi: JSONAPI,
        meta: {
          received: receipt.received,
          stored: receipt.stored,
          duplicates: receipt.duplicates,
          outside_journey: receipt.outsideJourney,
        },
      })
    }),

    getMoveTrack: async (req, res) => {
      const track = await moveTrack(db, String(req.params.id), who(req))
      res.setHeader('Content-Type', GEOJSON_MEDIA_TYPE)
      res.json(trackGeoJson(track.journeys))
    },

    getMoveTrackSvg: async (req, res) => {
      const track = await moveTrack(db, String(req.params.id), who(req))
      res.setHeader('Content-Type', SVG_MEDIA_TYPE)
      res.end(trackSvg(track.reference, track.journeys))
    },

    getGpsQualityReport: async (req, res) => {
      const query = req.query as { date_from: string; date_to: string }
      res.json(gpsQualityDocument(await gpsQualityReport(db, { dateFrom: query.date_from, dateTo: query.date_to })))
    },
  }
}
