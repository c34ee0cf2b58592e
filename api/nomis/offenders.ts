import {
  liveRoll,
  offenderAlerts,
  offenderCharges,
  offenderDetails,
  offenderImage,
  offenderLocation,
} from '../../lib/nomis/offenders'
import { requireOffender } from '../../lib/nomis/finance'
import { offenderDetailsPayload } from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { input } from '../typedInput'

export function nomisOffenderHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    getNomisOffender: async (req, res) => {
      res.json(await offenderDetails(db, input(req, 'getNomisOffender').path.noms_id))
    },
    getNomisOffenderLocation: async (req, res) => {
      res.json(await offenderLocation(db, input(req, 'getNomisOffenderLocation').path.noms_id))
    },
    getNomisOffenderImage: async (req, res) => {
      res.json(await offenderImage(db, input(req, 'getNomisOffenderImage').path.noms_id))
    },
    getNomisOffenderCharges: async (req, res) => {
      res.json(await offenderCharges(db, input(req, 'getNomisOffenderCharges').path.noms_id))
    },
    getNomisOffenderAlerts: async (req, res) => {
      const { path, query } = input(req, 'getNomisOffenderAlerts')
      res.json(
        await offenderAlerts(db, path.noms_id, {
          modifiedSince: query.modified_since,
          alertType: query.alert_type,
          includeInactive: query.include_inactive,
        }),
      )
    },
    getNomisOffenderPssDetail: async (req, res) => {
      const id = input(req, 'getNomisOffenderPssDetail').path.noms_id
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
      res.json(await liveRoll(db, input(req, 'getNomisLiveRoll').path.prison_id))
    },
  }
}
