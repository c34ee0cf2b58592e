import { randomUUID } from 'node:crypto'
import type { Tx } from '../../db/client'
import {
  balanceOf,
  DEFAULT_AMOUNTS,
  DEFAULT_LEVEL,
  newLedger,
  sameBalance,
  type Amounts,
  type Balance,
  type HistoryEntry,
  type Ledger,
  type NegativeVisitOrder,
  type VisitOrder,
} from './rules'

/** The database side of one prisoner's ledger: load it (locked), save what the rules changed. */

type OrderRow = {
  id: number | string
  type: VisitOrder['type']
  status: VisitOrder['status']
  created_date: string | Date
  expiry_date: string | Date | null
  visit_reference: string | null
}
type DebtRow = {
  id: number | string
  type: NegativeVisitOrder['type']
  status: NegativeVisitOrder['status']
  created_date: string | Date
  repaid_date: string | Date | null
  repaid_reason: NegativeVisitOrder['repaidReason']
  visit_reference: string | null
}

/** PGlite may hand back a date column as a Date at UTC midnight; pg gives the string. */
export function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10)
}
function isoDateOrNull(value: string | Date | null): string | null {
  return value === null ? null : isoDate(value)
}

export async function loadLedger(
  tx: Tx,
  prisonerId: string,
  options: { visitReference?: string } = {},
): Promise<Ledger | null> {
  const prisoner = await tx('visit_prisoners').where({ prisoner_id: prisonerId }).forUpdate().first()
  if (!prisoner) return null
  const ref = options.visitReference
  const orders: OrderRow[] = await tx('visit_orders')
    .where({ prisoner_id: prisonerId })
    .where(q => {
      q.whereIn('status', ['AVAILABLE', 'ACCUMULATED'])
      if (ref) q.orWhere({ visit_reference: ref })
    })
    .orderBy('id')
  const debts: DebtRow[] = await tx('negative_visit_orders')
    .where({ prisoner_id: prisonerId })
    .where(q => {
      q.where({ status: 'USED' })
      if (ref) q.orWhere({ visit_reference: ref })
    })
    .orderBy('id')
  return {
    prisonerId,
    lastVoAllocatedDate: isoDate(prisoner.last_vo_allocated_date),
    lastPvoAllocatedDate: isoDateOrNull(prisoner.last_pvo_allocated_date),
    orders: orders.map(o => ({
      id: Number(o.id),
      type: o.type,
      status: o.status,
      createdDate: isoDate(o.created_date),
      expiryDate: isoDateOrNull(o.expiry_date),
      visitReference: o.visit_reference,
    })),
    debts: debts.map(d => ({
      id: Number(d.id),
      type: d.type,
      status: d.status,
      createdDate: isoDate(d.created_date),
      repaidDate: isoDateOrNull(d.repaid_date),
      repaidReason: d.repaid_reason,
      visitReference: d.visit_reference,
    })),
  }
}

/**
 * Loads the prisoner's ledger locked for this transaction, creating it first if we have never seen
 * them. A concurrent creator loses the insert race harmlessly (ON CONFLICT) and both then lock.
 */
export async function loadOrCreateLedger(tx: Tx, prisonerId: string, today: string, visitReference?: string) {
  const existing = await loadLedger(tx, prisonerId, { visitReference })
  if (existing) return existing
  const fresh = newLedger(prisonerId, today)
  await tx('visit_prisoners')
    .insert({
      prisoner_id: prisonerId,
      last_vo_allocated_date: fresh.lastVoAllocatedDate,
      last_pvo_allocated_date: null,
    })
    .onConflict('prisoner_id')
    .ignore()
  return (await loadLedger(tx, prisonerId, { visitReference }))!
}

export type ChangeSource = { source: 'SYSTEM' | 'STAFF'; userId: string; comment?: string | null }

/** Writes what changed between `before` and `after`, a change-log row if the balance moved, and history. */
export async function saveLedger(
  tx: Tx,
  before: Ledger,
  after: Ledger,
  change: { type: string; at: Date; history: HistoryEntry[] } & ChangeSource,
): Promise<{ changeLogId: number | null; balance: Balance }> {
  const prisonerId = after.prisonerId
  if (
    before.lastVoAllocatedDate !== after.lastVoAllocatedDate ||
    before.lastPvoAllocatedDate !== after.lastPvoAllocatedDate
  ) {
    await tx('visit_prisoners').where({ prisoner_id: prisonerId }).update({
      last_vo_allocated_date: after.lastVoAllocatedDate,
      last_pvo_allocated_date: after.lastPvoAllocatedDate,
    })
  }
  const newOrders = after.orders.filter(o => o.id === undefined)
  if (newOrders.length) {
    await tx('visit_orders').insert(
      newOrders.map(o => ({
        prisoner_id: prisonerId,
        type: o.type,
        status: o.status,
        created_date: o.createdDate,
        expiry_date: o.expiryDate,
        visit_reference: o.visitReference,
      })),
    )
  }
  for (const o of after.orders.filter(o => o.id !== undefined && o.changed)) {
    await tx('visit_orders')
      .where({ id: o.id })
      .update({ status: o.status, expiry_date: o.expiryDate, visit_reference: o.visitReference })
  }
  const newDebts = after.debts.filter(d => d.id === undefined)
  if (newDebts.length) {
    await tx('negative_visit_orders').insert(
      newDebts.map(d => ({
        prisoner_id: prisonerId,
        type: d.type,
        status: d.status,
        created_date: d.createdDate,
        repaid_date: d.repaidDate,
        repaid_reason: d.repaidReason,
        visit_reference: d.visitReference,
      })),
    )
  }
  for (const d of after.debts.filter(d => d.id !== undefined && d.changed)) {
    await tx('negative_visit_orders')
      .where({ id: d.id })
      .update({ status: d.status, repaid_date: d.repaidDate, repaid_reason: d.repaidReason })
  }

  const balance = balanceOf(after)
  let changeLogId: number | null = null
  if (!sameBalance(balanceOf(before), balance)) {
    const [row] = await tx('visit_change_log')
      .insert({
        prisoner_id: prisonerId,
        change_timestamp: change.at,
        change_type: change.type,
        change_source: change.source,
        user_id: change.userId,
        comment: change.comment ?? null,
        reference: randomUUID(),
        vo_balance: balance.voBalance,
        pvo_balance: balance.pvoBalance,
        vo_available: balance.voAvailable,
        vo_accumulated: balance.voAccumulated,
        vo_negative: balance.voNegative,
        pvo_available: balance.pvoAvailable,
        pvo_negative: balance.pvoNegative,
      })
      .returning('id')
    changeLogId = Number(row.id)
  }
  if (change.history.length) {
    await tx('visit_order_history').insert(
      change.history.map(h => ({
        prisoner_id: prisonerId,
        type: h.type,
        created_timestamp: change.at,
        vo_balance: h.voBalance,
        pvo_balance: h.pvoBalance,
        user_name: change.userId,
        comment: change.comment ?? null,
        attributes: JSON.stringify(h.attributes),
      })),
    )
  }
  return { changeLogId, balance }
}

/** The prison's override for the level, else the documented default, else Standard's. */
export async function amountsFor(tx: Tx, prisonCode: string, level: string | null): Promise<Amounts> {
  const levelCode = level ?? DEFAULT_LEVEL
  const row = await tx('visit_incentive_amounts').where({ prison_code: prisonCode, level_code: levelCode }).first()
  if (row) return { visitOrders: row.visit_orders, privilegedVisitOrders: row.privileged_visit_orders }
  return DEFAULT_AMOUNTS[levelCode] ?? DEFAULT_AMOUNTS[DEFAULT_LEVEL]!
}
