import type { Db } from '../../db/client'
import { londonToday, type Clock } from '../clock'
import { DomainError } from '../errors'
import { keptPrisonerId } from './identities'
import { loadLedger, saveLedger } from './ledger'
import { adjustBalance, balanceOf } from './rules'

export const ADJUSTMENT_REASONS = [
  'GOVERNOR_ADJUSTMENT',
  'BALANCE_TRANSFER_FROM_PREVIOUS_PRISON',
  'CORRECTIVE_ACTION',
  'EXCHANGE_FOR_PIN_PHONE_CREDIT',
  'OTHER',
] as const

export type Adjustment = {
  voAmount?: number | null
  pvoAmount?: number | null
  adjustmentReasonType: (typeof ADJUSTMENT_REASONS)[number]
  adjustmentReasonText?: string | null
  userName: string
}

/** Staff change a prisoner's balance by hand; 404 for a prisoner we hold no balance for, 422 when a rule is broken. */
export async function adjustPrisonerBalance(
  deps: { db: Db; clock: Clock; config: { visitsMaxVisitOrders: number } },
  requestedId: string,
  adjustment: Adjustment,
) {
  return deps.db.transaction(async tx => {
    const prisonerId = await keptPrisonerId(tx, requestedId)
    const before = await loadLedger(tx, prisonerId)
    if (!before) throw new DomainError('not_found', `No visit order balance for prisoner ${requestedId}`)
    const { ledger, errors } = adjustBalance(before, {
      today: londonToday(deps.clock),
      voAmount: adjustment.voAmount,
      pvoAmount: adjustment.pvoAmount,
      max: deps.config.visitsMaxVisitOrders,
    })
    if (errors.length) {
      throw new DomainError('unprocessable_entity', `The adjustment breaks ${errors.join(', ')}`, {
        meta: { validationErrors: errors },
      })
    }
    const after = balanceOf(ledger)
    const { balance } = await saveLedger(tx, before, ledger, {
      type: 'MANUAL_PRISONER_BALANCE_ADJUSTMENT',
      at: deps.clock.now(),
      source: 'STAFF',
      userId: adjustment.userName,
      comment: adjustment.adjustmentReasonText ?? null,
      history: [
        {
          type: 'MANUAL_PRISONER_BALANCE_ADJUSTMENT',
          voBalance: after.voBalance,
          pvoBalance: after.pvoBalance,
          attributes: [{ type: 'ADJUSTMENT_REASON_TYPE', value: adjustment.adjustmentReasonType }],
        },
      ],
    })
    return { prisonerId, voBalance: balance.voBalance, pvoBalance: balance.pvoBalance }
  })
}
