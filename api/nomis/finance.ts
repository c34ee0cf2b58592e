import type { Request } from 'express'
import { londonToday } from '../../lib/clock'
import { DomainError } from '../../lib/errors'
import {
  ACCOUNT_CODES,
  addHold,
  findTransactionByRef,
  getAccounts,
  listHolds,
  listTransactions,
  postTransaction,
  releaseHold,
  storedClientRef,
  storePayment,
  transferTransaction,
} from '../../lib/nomis/finance'
import type { Services } from '../../lib/services'
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

/**
 * NOMIS finance. openapi.yaml declares every parameter and body (amounts are JSON integers of pence,
 * 1..2147483647; dates real calendar dates); what is left here needs the request as a whole (to_date
 * not before from_date) or other rows (lib/nomis/finance).
 */
export function nomisFinanceHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const clientName = (req: Request) => req.get('X-Client-Name') || undefined

  return {
    getNomisAccounts: async (req, res) => {
      const { path } = input(req, 'getNomisAccounts')
      res.json(await getAccounts(db, path.noms_id, path.prison_id))
    },

    listNomisTransactions: async (req, res) => {
      const { path, query } = input(req, 'listNomisTransactions')
      const toDate = query.to_date || londonToday(clock)
      if (toDate < query.from_date) throw new DomainError('invalid_query_parameter', 'Invalid query parameter to_date')
      const accountCode = ACCOUNT_CODES[path.account_code]!
      res.json({
        transactions: await listTransactions(db, path.noms_id, path.prison_id, accountCode, query.from_date, toDate),
      })
    },

    createNomisTransaction: write(async (req, w) => {
      const { path, body } = input(req, 'createNomisTransaction')
      const clientUniqueRef = storedClientRef(body.client_unique_ref, clientName(req))
      const id = await postTransaction(w, {
        nomsId: path.noms_id,
        prisonId: path.prison_id,
        type: body.type,
        description: body.description,
        amount: body.amount,
        clientTransactionId: body.client_transaction_id,
        clientUniqueRef,
      })
      return jsonResponse(201, { id })
    }),

    getNomisTransaction: async (req, res) => {
      const { path } = input(req, 'getNomisTransaction')
      const stored = storedClientRef(path.client_unique_ref, clientName(req))!
      res.json(await findTransactionByRef(db, path.noms_id, path.prison_id, stored))
    },

    createNomisPayment: write(async (req, w) => {
      const { path, body } = input(req, 'createNomisPayment')
      await storePayment(w, {
        nomsId: path.noms_id,
        prisonId: path.prison_id,
        type: body.type,
        description: body.description,
        amount: body.amount,
        clientTransactionId: body.client_transaction_id,
      })
      return jsonResponse(200, { message: 'Payment accepted' })
    }),

    createNomisHold: write(async (req, w) => {
      const { path, body } = input(req, 'createNomisHold')
      const clientUniqueRef = storedClientRef(body.client_unique_ref, clientName(req))
      const holdNumber = await addHold(w, {
        nomsId: path.noms_id,
        prisonId: path.prison_id,
        description: body.description,
        amount: body.amount,
        referenceNo: body.reference_no,
        holdUntilDate: body.hold_until_date,
        clientUniqueRef,
      })
      return jsonResponse(200, { 'hold-number': holdNumber })
    }),

    listNomisHolds: async (req, res) => {
      const { path, query } = input(req, 'listNomisHolds')
      const stored = query.client_unique_ref ? storedClientRef(query.client_unique_ref, clientName(req)) : null
      res.json(await listHolds(db, path.noms_id, path.prison_id, stored, clientName(req)))
    },

    releaseNomisHold: write(async (req, w) => {
      const { path, body } = input(req, 'releaseNomisHold')
      await releaseHold(w, {
        nomsId: path.noms_id,
        prisonId: path.prison_id,
        holdNumber: path.hold_number,
        description: body.description,
      })
      return jsonResponse(200, { message: 'Hold released' })
    }),

    createNomisTransferTransaction: write(async (req, w) => {
      const { path, body } = input(req, 'createNomisTransferTransaction')
      const clientUniqueRef = storedClientRef(body.client_unique_ref, clientName(req))
      const result = await transferTransaction(w, {
        nomsId: path.noms_id,
        previousPrisonId: path.previous_prison_id,
        type: body.type,
        description: body.description,
        amount: body.amount,
        clientTransactionId: body.client_transaction_id ?? body.reference_no,
        clientUniqueRef,
      })
      return jsonResponse(200, result)
    }),
  }
}
