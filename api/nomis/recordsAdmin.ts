import type { Request } from 'express'
import { DomainError } from '../../lib/errors'
import { validNomsId } from '../../lib/nomis/offenders'
import {
  addAlert,
  addLegalCase,
  changeIepLevel,
  changeNomsId,
  changePersonalDetails,
  changePersonalOfficer,
  changeSentenceInformation,
  closeAlert,
  dischargeOffender,
  moveCell,
  receiveOffender,
  transferOut,
  type NewAlert,
  type NewLegalCase,
  type PersonalDetails,
  type Reception,
} from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

type Body = Record<string, unknown>

/**
 * Records in, for operators with the records-admin role: each request is one use case in one
 * transaction, and each writes the event feed.
 */
export function recordsAdminHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const nomsId = (req: Request) => validNomsId(req.params.noms_id as string)
  const body = (req: Request) => (req.body ?? {}) as Body

  return {
    receiveOffenderRecord: async (req, res) => {
      const reception = body(req) as Reception
      validNomsId(reception.noms_id)
      await db.transaction(tx => receiveOffender(tx, clock, reception))
      res.status(201).json({ message: 'Offender received' })
    },
    transferOutOffenderRecord: async (req, res) => {
      await db.transaction(tx => transferOut(tx, clock, nomsId(req)))
      res.json({ message: 'Offender in transit' })
    },
    dischargeOffenderRecord: async (req, res) => {
      await db.transaction(tx => dischargeOffender(tx, clock, nomsId(req), String(body(req).reason_code)))
      res.json({ message: 'Offender discharged' })
    },
    addOffenderAlertRecord: async (req, res) => {
      const id = await db.transaction(tx => addAlert(tx, clock, nomsId(req), body(req) as NewAlert))
      res.status(201).json({ message: 'Alert added', id })
    },
    closeOffenderAlertRecord: async (req, res) => {
      const alertId = Number(req.params.alert_id)
      if (!Number.isInteger(alertId) || alertId < 1)
        throw new DomainError('unprocessable_entity', 'Invalid or missing alert_id')
      const expiry = body(req).expiry_date as string | undefined
      await db.transaction(tx => closeAlert(tx, clock, nomsId(req), alertId, expiry))
      res.json({ message: 'Alert closed' })
    },
    changeOffenderIepLevelRecord: async (req, res) => {
      await db.transaction(tx => changeIepLevel(tx, clock, nomsId(req), String(body(req).iep_level_code)))
      res.json({ message: 'IEP level changed' })
    },
    changeOffenderHousingRecord: async (req, res) => {
      await db.transaction(tx => moveCell(tx, clock, nomsId(req), String(body(req).housing_location)))
      res.json({ message: 'Housing location changed' })
    },
    changeOffenderPersonalOfficerRecord: async (req, res) => {
      await db.transaction(tx => changePersonalOfficer(tx, clock, nomsId(req), String(body(req).personal_officer)))
      res.json({ message: 'Personal officer changed' })
    },
    changeOffenderSentenceRecord: async (req, res) => {
      const b = body(req) as { convicted: boolean; imprisonment_status_code: string }
      await db.transaction(tx => changeSentenceInformation(tx, clock, nomsId(req), b))
      res.json({ message: 'Sentence information changed' })
    },
    changeOffenderPersonalDetailsRecord: async (req, res) => {
      await db.transaction(tx => changePersonalDetails(tx, clock, nomsId(req), body(req) as Partial<PersonalDetails>))
      res.json({ message: 'Personal details changed' })
    },
    changeOffenderNomsIdRecord: async (req, res) => {
      const newNomsId = validNomsId(body(req).new_noms_id as string | undefined)
      await db.transaction(tx => changeNomsId(tx, clock, nomsId(req), newNomsId))
      res.json({ message: 'NOMS id changed' })
    },
    addOffenderLegalCaseRecord: async (req, res) => {
      await db.transaction(tx => addLegalCase(tx, nomsId(req), body(req) as NewLegalCase))
      res.status(201).json({ message: 'Legal case added' })
    },
  }
}
