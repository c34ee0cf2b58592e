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
import { validNomsId, validPrisonId } from '../../lib/nomis/offenders'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { query } from './offenders'

const DATE = /^\d{4}-\d{2}-\d{2}$/

function validDate(value: string | undefined, name: string): string {
  if (!value || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw new DomainError('unprocessable_entity', `Invalid or missing query parameter ${name}`)
  }
  return value
}

type Body = Record<string, unknown>

export function nomisFinanceHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const ids = (req: Request, prisonParam = 'prison_id') => ({
    prisonId: validPrisonId(req.params[prisonParam] as string, prisonParam),
    nomsId: validNomsId(req.params.noms_id as string),
  })
  const clientName = (req: Request) => req.get('X-Client-Name') || undefined
  const body = (req: Request) => (req.body ?? {}) as Body
  const optional = (value: unknown) => (value === undefined ? undefined : String(value))

  return {
    getNomisAccounts: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      res.json(await getAccounts(db, nomsId, prisonId))
    },

    listNomisTransactions: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const accountCode = ACCOUNT_CODES[req.params.account_code as string]
      if (!accountCode) throw new DomainError('unprocessable_entity', 'Invalid or missing path parameter account_code')
      const fromDate = validDate(query(req, 'from_date'), 'from_date')
      const to = query(req, 'to_date')
      const toDate = to ? validDate(to, 'to_date') : londonToday(clock)
      if (toDate < fromDate) throw new DomainError('unprocessable_entity', 'Invalid query parameter to_date')
      res.json({ transactions: await listTransactions(db, nomsId, prisonId, accountCode, fromDate, toDate) })
    },

    createNomisTransaction: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const b = body(req)
      const clientUniqueRef = storedClientRef(optional(b.client_unique_ref), clientName(req))
      const id = await db.transaction(tx =>
        postTransaction(tx, clock, {
          nomsId,
          prisonId,
          type: String(b.type),
          description: String(b.description),
          amount: Number(b.amount),
          clientTransactionId: optional(b.client_transaction_id),
          clientUniqueRef,
        }),
      )
      res.status(201).json({ id })
    },

    getNomisTransaction: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const stored = storedClientRef(req.params.client_unique_ref as string, clientName(req))!
      res.json(await findTransactionByRef(db, nomsId, prisonId, stored))
    },

    createNomisPayment: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const b = body(req)
      await db.transaction(tx =>
        storePayment(tx, clock, {
          nomsId,
          prisonId,
          type: b.type as 'A_EARN' | 'ADJ',
          description: optional(b.description),
          amount: Number(b.amount),
          clientTransactionId: optional(b.client_transaction_id),
        }),
      )
      res.json({ message: 'Payment accepted' })
    },

    createNomisHold: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const b = body(req)
      const clientUniqueRef = storedClientRef(optional(b.client_unique_ref), clientName(req))
      const holdNumber = await db.transaction(tx =>
        addHold(tx, clock, {
          nomsId,
          prisonId,
          description: optional(b.description),
          amount: Number(b.amount),
          referenceNo: optional(b.reference_no),
          holdUntilDate: optional(b.hold_until_date),
          clientUniqueRef,
        }),
      )
      res.json({ 'hold-number': holdNumber })
    },

    listNomisHolds: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const ref = query(req, 'client_unique_ref')
      const stored = ref ? storedClientRef(ref, clientName(req)) : null
      res.json(await listHolds(db, nomsId, prisonId, stored, clientName(req)))
    },

    releaseNomisHold: async (req, res) => {
      const { prisonId, nomsId } = ids(req)
      const holdNumber = Number(req.params.hold_number)
      if (!Number.isInteger(holdNumber) || holdNumber < 1) {
        throw new DomainError('unprocessable_entity', 'Invalid or missing path parameter hold_number')
      }
      await db.transaction(tx =>
        releaseHold(tx, clock, { nomsId, prisonId, holdNumber, description: optional(body(req).description) }),
      )
      res.json({ message: 'Hold released' })
    },

    createNomisTransferTransaction: async (req, res) => {
      const { prisonId, nomsId } = ids(req, 'previous_prison_id')
      const b = body(req)
      const clientUniqueRef = storedClientRef(optional(b.client_unique_ref), clientName(req))
      const result = await db.transaction(tx =>
        transferTransaction(tx, clock, {
          nomsId,
          previousPrisonId: prisonId,
          type: String(b.type),
          description: String(b.description),
          amount: Number(b.amount),
          clientTransactionId: optional(b.client_transaction_id ?? b.reference_no),
          clientUniqueRef,
        }),
      )
      res.json(result)
    },
  }
}
