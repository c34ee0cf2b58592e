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
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

/**
 * Records in, for operators with the records-admin role: each request is one use case in one
 * transaction, and each writes the event feed. openapi.yaml declares every body and parameter.
 */
export function recordsAdminHandlers(): HandlerTable {
  return {
    receiveOffenderRecord: write(async (req, w) => {
      const { body } = input(req, 'receiveOffenderRecord')
      await receiveOffender(w, body)
      return jsonResponse(201, { message: 'Offender received' })
    }),
    transferOutOffenderRecord: write(async (req, w) => {
      const { path } = input(req, 'transferOutOffenderRecord')
      await transferOut(w, path.noms_id)
      return jsonResponse(200, { message: 'Offender in transit' })
    }),
    dischargeOffenderRecord: write(async (req, w) => {
      const { path, body } = input(req, 'dischargeOffenderRecord')
      await dischargeOffender(w, path.noms_id, body.reason_code)
      return jsonResponse(200, { message: 'Offender discharged' })
    }),
    addOffenderAlertRecord: write(async (req, w) => {
      const { path, body } = input(req, 'addOffenderAlertRecord')
      const id = await addAlert(w, path.noms_id, body)
      return jsonResponse(201, { message: 'Alert added', id })
    }),
    closeOffenderAlertRecord: write(async (req, w) => {
      const { path, body } = input(req, 'closeOffenderAlertRecord')
      await closeAlert(w, path.noms_id, path.alert_id, body.expiry_date)
      return jsonResponse(200, { message: 'Alert closed' })
    }),
    changeOffenderIepLevelRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderIepLevelRecord')
      await changeIepLevel(w, path.noms_id, body.iep_level_code)
      return jsonResponse(200, { message: 'IEP level changed' })
    }),
    changeOffenderHousingRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderHousingRecord')
      await moveCell(w, path.noms_id, body.housing_location)
      return jsonResponse(200, { message: 'Housing location changed' })
    }),
    changeOffenderPersonalOfficerRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderPersonalOfficerRecord')
      await changePersonalOfficer(w, path.noms_id, body.personal_officer)
      return jsonResponse(200, { message: 'Personal officer changed' })
    }),
    changeOffenderSentenceRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderSentenceRecord')
      await changeSentenceInformation(w, path.noms_id, body)
      return jsonResponse(200, { message: 'Sentence information changed' })
    }),
    changeOffenderPersonalDetailsRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderPersonalDetailsRecord')
      await changePersonalDetails(w, path.noms_id, body)
      return jsonResponse(200, { message: 'Personal details changed' })
    }),
    changeOffenderNomsIdRecord: write(async (req, w) => {
      const { path, body } = input(req, 'changeOffenderNomsIdRecord')
      await changeNomsId(w, path.noms_id, body.new_noms_id)
      return jsonResponse(200, { message: 'NOMS id changed' })
    }),
    addOffenderLegalCaseRecord: write(async (req, w) => {
      const { path, body } = input(req, 'addOffenderLegalCaseRecord')
      await addLegalCase(w.tx, path.noms_id, body)
      return jsonResponse(201, { message: 'Legal case added' })
    }),
  }
}
