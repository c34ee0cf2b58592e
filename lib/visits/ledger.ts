import { randomUUID } from 'node:crypto'
import type { Tx } from '../../db/client'
import { formerLedgers, keptPrisonerId, type IdentityChange } from './identities'
import {
  balanceOf,
  DEFAULT_AMOUNTS,
  DEFAULT_LEVEL,
  newLedger,
  sameBalance,
  topUpAfterMerge,
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
  created_at: string | Date
  expiry_date: string | Date | null
  visit_reference: string | null
}
type DebtRow = {
  id: number | string
  type: NegativeVisitOrder['type']
  status: NegativeVisitOrder['status']
  created_date: string | Date
  created_at: string | Date
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

async function readLedger(
  tx: Tx,
  prisonerId: string,
  options: { visitReference?: string; lock: boolean },
): Promise<Ledger | null> {
  const query = tx('visit_prisoners').where({ prisoner_id: prisonerId })
  const prisoner = await (options.lock ? query.forUpdate() : query).first()
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
    lastAllocatedAt: prisoner.last_allocated_at ? new Date(prisoner.last_allocated_at).toISOString() : null,
    orders: orders.map(o => ({
      id: Number(o.id),
      type: o.type,
      status: o.status,
      createdDate: isoDate(o.created_date),
      createdAt: new Date(o.created_at).toISOString(),
      expiryDate: isoDateOrNull(o.expiry_date),
      visitReference: o.visit_reference,
    })),
    debts: debts.map(d => ({
      id: Number(d.id),
      type: d.type,
      status: d.status,
      createdDate: isoDate(d.created_date),
      createdAt: new Date(d.created_at).toISOString(),
      repaidDate: isoDateOrNull(d.repaid_date),
      repaidReason: d.repaid_reason,
      visitReference: d.visit_reference,
    })),
  }
}

/**
 * The prisoner's ledger, locked for this transaction, or null if we hold none. Where `prisonerId`
 * has none but a number the records have renumbered to it does, that ledger is carried over first,
 * so that a renumbering never looks like a new, empty balance, whichever event reaches us first.
 */
export async function loadLedger(
  tx: Tx,
  prisonerId: string,
  options: { visitReference?: string } = {},
): Promise<Ledger | null> {
  const own = await readLedger(tx, prisonerId, { ...options, lock: true })
  if (own) return own
  // Both numbers holding a ledger (a race with the renumbering) is joined when the merge event arrives.
  const former = (await formerLedgers(tx, prisonerId)).filter(f => f.change === 'RENUMBERED')
  if (!former.length) return null
  for (const f of former) await carryLedger(tx, f.oldId, prisonerId, 'RENUMBERED')
  return readLedger(tx, prisonerId, { ...options, lock: true })
}

/**
 * For reads: the ledger of the number the prisoner is known by now, without locking or changing
 * anything; an old number finds the kept prisoner's, and a renumbered one not yet carried over is read where it is.
 */
export async function viewLedger(tx: Tx, prisonerId: string): Promise<Ledger | null> {
  const kept = await keptPrisonerId(tx, prisonerId)
  const own = await readLedger(tx, kept, { lock: false })
  if (own) return own
  const former = (await formerLedgers(tx, kept)).find(f => f.change === 'RENUMBERED')
  const carried = former ? await readLedger(tx, former.oldId, { lock: false }) : null
  return carried && { ...carried, prisonerId: kept }
}

/**
 * Moves a ledger from an old number to the kept one, with its bookings, and remembers the old
 * number. If the kept number has no ledger, the whole ledger moves as it is: orders, debt, last
 * allocation dates, change log and history. If both hold one:
 * - after a renumbering they are one prisoner's ledger split by a race, and are joined whole;
 * - after a merge of two records, the kept prisoner is topped up to the higher of the two balances
 *   (the reference's rule, capped at `max`), and the removed one's history, change log and spent
 *   orders and repaid debt move over for the record.
 * Either way the later of each last allocation date is kept, so no cycle is allocated twice.
 */
export async function carryLedger(
  tx: Tx,
  fromId: string,
  toId: string,
  change: IdentityChange,
  options: { today?: string; at?: Date; max?: number } = {},
): Promise<'nothing' | 'moved' | 'joined' | 'topped-up'> {
  await tx('visit_prisoner_identities')
    .insert({ old_prisoner_id: fromId, prisoner_id: toId, change, changed_at: options.at ?? tx.fn.now() })
    .onConflict('old_prisoner_id')
    .merge(['prisoner_id', 'change', 'changed_at'])
  // A number given back (renumbered away and then back) is in use again, no longer an old number.
  await tx('visit_prisoner_identities').where({ old_prisoner_id: toId }).delete()
  await tx('visit_bookings').where({ prisoner_id: fromId }).update({ prisoner_id: toId })
  // Both rows are locked in one order, so two carries between the same numbers cannot deadlock.
  const locked = await tx('visit_prisoners').whereIn('prisoner_id', [fromId, toId]).orderBy('prisoner_id').forUpdate()
  const from = locked.find(r => r.prisoner_id === fromId)
  const to = locked.find(r => r.prisoner_id === toId)
  if (!from) return 'nothing'
  if (!to) {
    await tx('visit_prisoners').where({ prisoner_id: fromId }).update({ prisoner_id: toId })
    return 'moved'
  }
  let outcome: 'joined' | 'topped-up' = 'joined'
  if (change === 'RENUMBERED') {
    for (const table of ['visit_orders', 'negative_visit_orders', 'visit_change_log', 'visit_order_history']) {
      await tx(table).where({ prisoner_id: fromId }).update({ prisoner_id: toId })
    }
  } else {
    // Only the merge handler, which knows the day, carries a merge; the lazy carry is for renumberings.
    if (!options.today || !options.at) throw new Error('carrying a merged ledger needs today and the time of the merge')
    const today = options.today
    const removed = (await readLedger(tx, fromId, { lock: false }))!
    const kept = (await readLedger(tx, toId, { lock: false }))!
    const after = topUpAfterMerge(kept, balanceOf(removed), today, options.max)
    const b = balanceOf(after)
    await saveLedger(tx, kept, after, {
      type: 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE',
      at: options.at,
      source: 'SYSTEM',
      userId: 'SYSTEM',
      history: [
        {
          type: 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE',
          voBalance: b.voBalance,
          pvoBalance: b.pvoBalance,
          attributes: [
            { type: 'OLD_PRISONER_ID', value: fromId },
            { type: 'NEW_PRISONER_ID', value: toId },
          ],
        },
      ],
    })
    for (const table of ['visit_change_log', 'visit_order_history']) {
      await tx(table).where({ prisoner_id: fromId }).update({ prisoner_id: toId })
    }
    await tx('visit_orders')
      .where({ prisoner_id: fromId })
      .whereIn('status', ['USED', 'EXPIRED'])
      .update({ prisoner_id: toId })
    await tx('negative_visit_orders').where({ prisoner_id: fromId, status: 'REPAID' }).update({ prisoner_id: toId })
    outcome = 'topped-up'
  }
  const later = (a: string | Date | null, b: string | Date | null) => {
    if (a === null || b === null) return a ?? b
    return isoDate(a) > isoDate(b) ? isoDate(a) : isoDate(b)
  }
  const laterTime = (a: Date | null, b: Date | null) => (a === null || b === null ? (a ?? b) : a > b ? a : b)
  await tx('visit_prisoners')
    .where({ prisoner_id: toId })
    .update({
      last_vo_allocated_date: later(from.last_vo_allocated_date, to.last_vo_allocated_date),
      last_pvo_allocated_date: later(from.last_pvo_allocated_date, to.last_pvo_allocated_date),
      last_allocated_at: laterTime(from.last_allocated_at, to.last_allocated_at),
    })
  await tx('visit_prisoners').where({ prisoner_id: fromId }).delete()
  return outcome
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
  return (await readLedger(tx, prisonerId, { visitReference, lock: true }))!
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
      last_allocated_at: change.at,
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
        created_at: change.at,
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
        created_at: change.at,
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
