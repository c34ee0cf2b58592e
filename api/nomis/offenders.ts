import type { Request } from 'express'
import {
  liveRoll,
  offenderAlerts,
  offenderCharges,
  offenderDetails,
  offenderImage,
  offenderLocation,
  validNomsId,
  validPrisonId,
} from '../../lib/nomis/offenders'
import { requireOffender } from '../../lib/nomis/finance'
import { offenderDetailsPayload } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

export function query(req: Request, name: string): string | undefined {
  const value = req.query[name]
  return typeof value === 'string' ? value : undefined
}

export function nomisOffenderHandlers(services: Services): HandlerTable {
  const { db } = services
  const nomsId = (req: Request) => validNomsId(req.params.noms_id as string)
  return {
    getNomisOffender: async (req, res) => {
      res.json(await offenderDetails(db, nomsId(req)))
    },
    getNomisOffenderLocation: async (req, res) => {
      res.json(await offenderLocation(db, nomsId(req)))
    },
    getNomisOffenderImage: async (req, res) => {
      res.json(await offenderImage(db, nomsId(req)))
    },
    getNomisOffenderCharges: async (req, res) => {
      res.json(await offenderCharges(db, nomsId(req)))
    },
    getNomisOffenderAlerts: async (req, res) => {
      res.json(
        await offenderAlerts(db, nomsId(req), {
          modifiedSince: query(req, 'modified_since'),
          alertType: query(req, 'alert_type'),
          includeInactive: query(req, 'include_inactive'),
        }),
      )
    },
    getNomisOffenderPssDetail: async (req, res) => {
      const id = nomsId(req)
      const offender = await requireOffender(db, id)
      if (offender.custody_status !== 'IN') {
        res.json({})
        return
      }
      res.json({
        type: 'OFFENDER_DETAILS_REQUEST',
        noms_id: id,
        prison_id: offender.prison_id,
        offender_details_request: await offenderDetailsPayload(db, id),
      })
    },
    getNomisLiveRoll: async (req, res) => {
      res.json(await liveRoll(db, validPrisonId(req.params.prison_id as string)))
    },
  }
}
