import { londonToday } from '../clock'
import { DomainError } from '../errors'
import { keptPrisonerId } from './identities'
import { loadLedger, saveLedger } from './ledger'
import { adjustBalance, balanceOf } from './rules'
import type { Write } from '../write'

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

/**
 * Staff change a prisoner's balance by hand, in the caller's transaction; 404 for a prisoner we hold
 * no balance for, 422 when a rule is broken (a balance above `max` or below zero).
 */
export async function adjustPrisonerBalance(
  { tx, clock }: Pick<Write, 'tx' | 'clock'>,
  requestedId: string,
  adjustment: Adjustment,
  options: { max: number },
) {
  const prisonerId = await keptPrisonerId(tx, requestedId)
  const before = await loadLedger(tx, prisonerId)
  if (!before) throw new DomainError('not_found', `No visit order balance for prisoner ${requestedId}`)
  const { ledger, errors } = adjustBalance(before, {
    today: londonToday(clock),
    voAmount: adjustment.voAmount,
    pvoAmount: adjustment.pvoAmount,
    max: options.max,
  })
  if (errors.length) {
    throw new DomainError('unprocessable_entity', `The adjustment breaks ${errors.join(', ')}`, {
      meta: { validationErrors: errors },
    })
  }
  const after = balanceOf(ledger)
  const { balance } = await saveLedger(tx, before, ledger, {
    type: 'MANUAL_PRISONER_BALANCE_ADJUSTMENT',
    at: clock.now(),
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
}
