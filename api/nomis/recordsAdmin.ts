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
} from '../../lib/prisonerRecords/records'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { input } from '../typedInput'

/**
 * Records in, for operators with the records-admin role: each request is one use case in one
 * transaction, and each writes the event feed. openapi.yaml declares every body and parameter.
 */
export function recordsAdminHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  return {
    receiveOffenderRecord: async (req, res) => {
      const { body } = input(req, 'receiveOffenderRecord')
      await db.transaction(tx => receiveOffender(tx, clock, body))
      res.status(201).json({ message: 'Offender received' })
    },
    transferOutOffenderRecord: async (req, res) => {
      const { path } = input(req, 'transferOutOffenderRecord')
      await db.transaction(tx => transferOut(tx, clock, path.noms_id))
      res.json({ message: 'Offender in transit' })
    },
    dischargeOffenderRecord: async (req, res) => {
      const { path, body } = input(req, 'dischargeOffenderRecord')
      await db.transaction(tx => dischargeOffender(tx, clock, path.noms_id, body.reason_code))
      res.json({ message: 'Offender discharged' })
    },
    addOffenderAlertRecord: async (req, res) => {
      const { path, body } = input(req, 'addOffenderAlertRecord')
      const id = await db.transaction(tx => addAlert(tx, clock, path.noms_id, body))
      res.status(201).json({ message: 'Alert added', id })
    },
    closeOffenderAlertRecord: async (req, res) => {
      const { path, body } = input(req, 'closeOffenderAlertRecord')
      await db.transaction(tx => closeAlert(tx, clock, path.noms_id, path.alert_id, body.expiry_date))
      res.json({ message: 'Alert closed' })
    },
    changeOffenderIepLevelRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderIepLevelRecord')
      await db.transaction(tx => changeIepLevel(tx, clock, path.noms_id, body.iep_level_code))
      res.json({ message: 'IEP level changed' })
    },
    changeOffenderHousingRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderHousingRecord')
      await db.transaction(tx => moveCell(tx, clock, path.noms_id, body.housing_location))
      res.json({ message: 'Housing location changed' })
    },
    changeOffenderPersonalOfficerRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderPersonalOfficerRecord')
      await db.transaction(tx => changePersonalOfficer(tx, clock, path.noms_id, body.personal_officer))
      res.json({ message: 'Personal officer changed' })
    },
    changeOffenderSentenceRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderSentenceRecord')
      await db.transaction(tx => changeSentenceInformation(tx, clock, path.noms_id, body))
      res.json({ message: 'Sentence information changed' })
    },
    changeOffenderPersonalDetailsRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderPersonalDetailsRecord')
      await db.transaction(tx => changePersonalDetails(tx, clock, path.noms_id, body))
      res.json({ message: 'Personal details changed' })
    },
    changeOffenderNomsIdRecord: async (req, res) => {
      const { path, body } = input(req, 'changeOffenderNomsIdRecord')
      await db.transaction(tx => changeNomsId(tx, clock, path.noms_id, body.new_noms_id))
      res.json({ message: 'NOMS id changed' })
    },
    addOffenderLegalCaseRecord: async (req, res) => {
      const { path, body } = input(req, 'addOffenderLegalCaseRecord')
      await db.transaction(tx => addLegalCase(tx, path.noms_id, body))
      res.status(201).json({ message: 'Legal case added' })
    },
  }
}
