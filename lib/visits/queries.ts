import type { Tx } from '../../db/client'
import { formerLedgers, keptPrisonerId } from './identities'
import { viewLedger } from './ledger'
import { balanceOf, nextAllocationDates } from './rules'

/** Read models for the balance and history endpoints; an old number answers for the number the prisoner is known by now. */

export async function prisonerBalance(tx: Tx, prisonerId: string) {
  const ledger = await viewLedger(tx, prisonerId)
  if (!ledger) return null
  const b = balanceOf(ledger)
  return { prisonerId: ledger.prisonerId, voBalance: b.voBalance, pvoBalance: b.pvoBalance }
}

export async function detailedBalance(tx: Tx, prisonerId: string, today: string) {
  const ledger = await viewLedger(tx, prisonerId)
  if (!ledger) return null
  const b = balanceOf(ledger)
  const next = nextAllocationDates(ledger, today)
  return {
    prisonerId: ledger.prisonerId,
    voBalance: b.voBalance,
    availableVos: b.voAvailable,
    accumulatedVos: b.voAccumulated,
    negativeVos: b.voNegative,
    pvoBalance: b.pvoBalance,
    availablePvos: b.pvoAvailable,
    negativePvos: b.pvoNegative,
    lastVoAllocatedDate: ledger.lastVoAllocatedDate,
    nextVoAllocationDate: next.nextVoDate,
    lastPvoAllocatedDate: ledger.lastPvoAllocatedDate,
    nextPvoAllocationDate: next.nextPvoDate,
  }
}

export async function visitOrderHistory(tx: Tx, requestedId: string, fromDate: string) {
  const ledger = await viewLedger(tx, requestedId)
  if (!ledger) return null
  const prisonerId = await keptPrisonerId(tx, requestedId)
  const former = (await formerLedgers(tx, prisonerId)).map(f => f.oldId)
  const rows = await tx('visit_order_history')
    .whereIn('prisoner_id', [prisonerId, ...former])
    .where('created_timestamp', '>=', fromDate)
    .orderBy('id')
  return rows.map(r => ({
    prisonerId,
    type: r.type as string,
    createdTimestamp: (r.created_timestamp as Date).toISOString(),
    voBalance: r.vo_balance as number,
    pvoBalance: r.pvo_balance as number,
    userName: r.user_name as string,
    comment: r.comment as string | null,
    attributes: (typeof r.attributes === 'string' ? JSON.parse(r.attributes) : r.attributes) as {
      type: string
      value: string
    }[],
  }))
}
