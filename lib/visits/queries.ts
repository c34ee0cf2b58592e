import type { Tx } from '../../db/client'
import { loadLedger } from './ledger'
import { balanceOf, nextAllocationDates } from './rules'

/** Read models for the balance and history endpoints. */

export async function prisonerBalance(tx: Tx, prisonerId: string) {
  const ledger = await loadLedger(tx, prisonerId)
  if (!ledger) return null
  const b = balanceOf(ledger)
  return { prisonerId, voBalance: b.voBalance, pvoBalance: b.pvoBalance }
}

export async function detailedBalance(tx: Tx, prisonerId: string, today: string) {
  const ledger = await loadLedger(tx, prisonerId)
  if (!ledger) return null
  const b = balanceOf(ledger)
  const next = nextAllocationDates(ledger, today)
  return {
    prisonerId,
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

export async function visitOrderHistory(tx: Tx, prisonerId: string, fromDate: string) {
  const exists = await tx('visit_prisoners').where({ prisoner_id: prisonerId }).first('prisoner_id')
  if (!exists) return null
  const rows = await tx('visit_order_history')
    .where({ prisoner_id: prisonerId })
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
