/**
 * The allocation rules as pure functions over one prisoner's ledger: no clock, no database. The
 * caller loads the ledger, passes "today" (a London date) and persists what changed.
 */

import { addDays } from '../calendar'

export type OrderType = 'VO' | 'PVO'
export type OrderStatus = 'AVAILABLE' | 'ACCUMULATED' | 'USED' | 'EXPIRED'

export type VisitOrder = {
  id?: number
  type: OrderType
  status: OrderStatus
  createdDate: string
  /** When the row was written (ISO 8601); absent until saved. A reset spares what came after the reception. */
  createdAt?: string
  expiryDate: string | null
  visitReference: string | null
  changed?: boolean
}

export type RepaidReason =
  'ALLOCATION' | 'ADMIN_RESET' | 'PRISONER_RECEIVED_RESET' | 'VISIT_ORDER_REFUND' | 'MANUAL_PRISONER_BALANCE_ADJUSTMENT'

export type NegativeVisitOrder = {
  id?: number
  type: OrderType
  status: 'USED' | 'REPAID'
  createdDate: string
  createdAt?: string
  repaidDate: string | null
  repaidReason: RepaidReason | null
  visitReference: string | null
  changed?: boolean
}

export type Ledger = {
  prisonerId: string
  lastVoAllocatedDate: string
  lastPvoAllocatedDate: string | null
  /** When the last allocation dates last moved (ISO 8601), if ever. */
  lastAllocatedAt?: string | null
  /** The orders that count: AVAILABLE and ACCUMULATED, plus any USED one an event refers to. */
  orders: VisitOrder[]
  /** Unrepaid debt, plus any repaid row an event refers to. */
  debts: NegativeVisitOrder[]
}

export type Amounts = { visitOrders: number; privilegedVisitOrders: number }

export type Balance = {
  voBalance: number
  pvoBalance: number
  voAvailable: number
  voAccumulated: number
  voNegative: number
  pvoAvailable: number
  pvoNegative: number
}

export type HistoryType =
  | 'VO_ACCUMULATION'
  | 'VO_ALLOCATION'
  | 'PVO_ALLOCATION'
  | 'VO_AND_PVO_ALLOCATION'
  | 'VO_EXPIRATION'
  | 'PVO_EXPIRATION'
  | 'VO_AND_PVO_EXPIRATION'
  | 'ALLOCATION_USED_BY_VISIT'
  | 'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED'
  | 'PRISONER_BALANCE_RESET'
  | 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE'
  | 'MANUAL_PRISONER_BALANCE_ADJUSTMENT'

export type HistoryEntry = {
  type: HistoryType
  voBalance: number
  pvoBalance: number
  attributes: { type: string; value: string }[]
}

export const VO_CYCLE_DAYS = 14
export const PVO_CYCLE_DAYS = 28
export const ACCUMULATE_AFTER_DAYS = 28
export const PVO_EXPIRE_AFTER_DAYS = 28
export const DEFAULT_MAX_VISIT_ORDERS = 26

/** Amounts per incentive level where a prison has no override in visit_incentive_amounts. */
export const DEFAULT_AMOUNTS: Record<string, Amounts> = {
  BAS: { visitOrders: 1, privilegedVisitOrders: 0 },
  STD: { visitOrders: 2, privilegedVisitOrders: 1 },
  ENH: { visitOrders: 3, privilegedVisitOrders: 1 },
  EN2: { visitOrders: 3, privilegedVisitOrders: 2 },
  EN3: { visitOrders: 4, privilegedVisitOrders: 2 },
}
/** A prisoner without a recorded level is treated as Standard. */
export const DEFAULT_LEVEL = 'STD'

export function cloneLedger(ledger: Ledger): Ledger {
  return {
    ...ledger,
    orders: ledger.orders.map(o => ({ ...o })),
    debts: ledger.debts.map(d => ({ ...d })),
  }
}

/** A prisoner we have never allocated to is due at once: their last allocation is a cycle ago. */
export function newLedger(prisonerId: string, today: string): Ledger {
  return {
    prisonerId,
    lastVoAllocatedDate: addDays(today, -VO_CYCLE_DAYS),
    lastPvoAllocatedDate: null,
    orders: [],
    debts: [],
  }
}

const oldestFirst = <T extends { createdDate: string; id?: number }>(a: T, b: T) =>
  a.createdDate.localeCompare(b.createdDate) || (a.id ?? Infinity) - (b.id ?? Infinity)

function count(ledger: Ledger, type: OrderType, status: OrderStatus): number {
  return ledger.orders.filter(o => o.type === type && o.status === status).length
}

function unpaid(ledger: Ledger, type: OrderType): NegativeVisitOrder[] {
  return ledger.debts.filter(d => d.type === type && d.status === 'USED').sort(oldestFirst)
}

/** VO balance = available + accumulated - debt; PVO balance = available - debt. */
export function balanceOf(ledger: Ledger): Balance {
  const voAvailable = count(ledger, 'VO', 'AVAILABLE')
  const voAccumulated = count(ledger, 'VO', 'ACCUMULATED')
  const voNegative = unpaid(ledger, 'VO').length
  const pvoAvailable = count(ledger, 'PVO', 'AVAILABLE')
  const pvoNegative = unpaid(ledger, 'PVO').length
  return {
    voBalance: voAvailable + voAccumulated - voNegative,
    pvoBalance: pvoAvailable - pvoNegative,
    voAvailable,
    voAccumulated,
    voNegative,
    pvoAvailable,
    pvoNegative,
  }
}

export function sameBalance(a: Balance, b: Balance): boolean {
  return (Object.keys(a) as (keyof Balance)[]).every(k => a[k] === b[k])
}

/** Next VO date = last + 14, or tomorrow if that has passed; the PVO date is never before it. */
export function nextAllocationDates(ledger: Ledger, today: string): { nextVoDate: string; nextPvoDate: string } {
  let nextVoDate = addDays(ledger.lastVoAllocatedDate, VO_CYCLE_DAYS)
  if (nextVoDate <= today) nextVoDate = addDays(today, 1)
  const pvo = ledger.lastPvoAllocatedDate ? addDays(ledger.lastPvoAllocatedDate, PVO_CYCLE_DAYS) : nextVoDate
  return { nextVoDate, nextPvoDate: pvo < nextVoDate ? nextVoDate : pvo }
}

function entry(ledger: Ledger, type: HistoryType, attributes: HistoryEntry['attributes'] = []): HistoryEntry {
  const b = balanceOf(ledger)
  return { type, voBalance: b.voBalance, pvoBalance: b.pvoBalance, attributes }
}

function expire(order: VisitOrder, today: string): void {
  order.status = 'EXPIRED'
  order.expiryDate = today
  order.changed = true
}

function repay(debt: NegativeVisitOrder, today: string, reason: RepaidReason): void {
  debt.status = 'REPAID'
  debt.repaidDate = today
  debt.repaidReason = reason
  debt.changed = true
}

function addOrders(ledger: Ledger, type: OrderType, n: number, today: string): void {
  for (let i = 0; i < n; i++) {
    ledger.orders.push({ type, status: 'AVAILABLE', createdDate: today, expiryDate: null, visitReference: null })
  }
}

/** Repays debt of that type first, oldest first, then returns how many orders are left to add. */
function repayDebt(ledger: Ledger, type: OrderType, amount: number, today: string, reason: RepaidReason): number {
  const debts = unpaid(ledger, type)
  const repaid = Math.min(amount, debts.length)
  for (const debt of debts.slice(0, repaid)) repay(debt, today, reason)
  return amount - repaid
}

export type AllocationResult = { ledger: Ledger; history: HistoryEntry[]; changed: boolean }

/**
 * One nightly pass for one convicted prisoner: accumulate, allocate what is due (debt first, VOs
 * capped at `max`), expire, and say what happened in history entries. Due dates move whenever a
 * cycle was due, so a prisoner is never allocated twice in one cycle (#214).
 */
export function allocate(
  input: Ledger,
  options: { today: string; amounts: Amounts; level: string; max?: number },
): AllocationResult {
  const { today, amounts, level } = options
  const max = options.max ?? DEFAULT_MAX_VISIT_ORDERS
  const ledger = cloneLedger(input)
  const before = balanceOf(ledger)
  const history: HistoryEntry[] = []

  const accumulateBy = addDays(today, -ACCUMULATE_AFTER_DAYS)
  const ageing = ledger.orders.filter(o => o.type === 'VO' && o.status === 'AVAILABLE' && o.createdDate <= accumulateBy)
  for (const order of ageing) {
    order.status = 'ACCUMULATED'
    order.changed = true
  }
  if (ageing.length) history.push(entry(ledger, 'VO_ACCUMULATION'))

  const voDue = ledger.lastVoAllocatedDate <= addDays(today, -VO_CYCLE_DAYS)
  const pvoDue =
    voDue && (ledger.lastPvoAllocatedDate === null || ledger.lastPvoAllocatedDate <= addDays(today, -PVO_CYCLE_DAYS))

  let expiredVo = 0
  let voAllocated = false
  let pvoAllocated = false
  if (voDue) {
    const remainder = repayDebt(ledger, 'VO', amounts.visitOrders, today, 'ALLOCATION')
    const current = count(ledger, 'VO', 'AVAILABLE') + count(ledger, 'VO', 'ACCUMULATED')
    // At the cap the oldest accumulated orders make room for the new ones (#150: never above max).
    const accumulated = ledger.orders.filter(o => o.type === 'VO' && o.status === 'ACCUMULATED').sort(oldestFirst)
    const makeRoom = Math.min(Math.max(current + remainder - max, 0), accumulated.length)
    for (const order of accumulated.slice(0, makeRoom)) expire(order, today)
    expiredVo += makeRoom
    const added = Math.max(Math.min(remainder, max - (current - makeRoom)), 0)
    addOrders(ledger, 'VO', added, today)
    voAllocated = added > 0 || remainder < amounts.visitOrders
    ledger.lastVoAllocatedDate = today
  }
  if (pvoDue) {
    const remainder = repayDebt(ledger, 'PVO', amounts.privilegedVisitOrders, today, 'ALLOCATION')
    addOrders(ledger, 'PVO', remainder, today)
    pvoAllocated = amounts.privilegedVisitOrders > 0
    ledger.lastPvoAllocatedDate = today
  }
  if (voAllocated || pvoAllocated) {
    const type =
      voAllocated && pvoAllocated ? 'VO_AND_PVO_ALLOCATION' : voAllocated ? 'VO_ALLOCATION' : 'PVO_ALLOCATION'
    history.push(entry(ledger, type, [{ type: 'INCENTIVE_LEVEL', value: level }]))
  }

  const overCap = ledger.orders.filter(o => o.type === 'VO' && o.status === 'ACCUMULATED').sort(oldestFirst)
  const total = count(ledger, 'VO', 'AVAILABLE') + overCap.length
  for (const order of overCap.slice(0, Math.max(total - max, 0))) expire(order, today)
  expiredVo += Math.min(Math.max(total - max, 0), overCap.length)
  const pvoExpireBy = addDays(today, -PVO_EXPIRE_AFTER_DAYS)
  const stalePvo = ledger.orders.filter(
    o => o.type === 'PVO' && o.status === 'AVAILABLE' && o.createdDate <= pvoExpireBy,
  )
  for (const order of stalePvo) expire(order, today)
  if (expiredVo || stalePvo.length) {
    const type = expiredVo && stalePvo.length ? 'VO_AND_PVO_EXPIRATION' : expiredVo ? 'VO_EXPIRATION' : 'PVO_EXPIRATION'
    history.push(entry(ledger, type))
  }

  const datesMoved =
    ledger.lastVoAllocatedDate !== input.lastVoAllocatedDate ||
    ledger.lastPvoAllocatedDate !== input.lastPvoAllocatedDate
  return { ledger, history, changed: datesMoved || !sameBalance(before, balanceOf(ledger)) }
}

/** A booked visit uses the oldest PVO, else the oldest VO, else puts the prisoner in VO debt. */
export function useForVisit(input: Ledger, today: string, visitReference: string): { ledger: Ledger; used: OrderType } {
  const ledger = cloneLedger(input)
  const pvo = ledger.orders.filter(o => o.type === 'PVO' && o.status === 'AVAILABLE').sort(oldestFirst)[0]
  const vo = ledger.orders
    .filter(o => o.type === 'VO' && (o.status === 'AVAILABLE' || o.status === 'ACCUMULATED'))
    .sort(oldestFirst)[0]
  const order = pvo ?? vo
  if (order) {
    order.status = 'USED'
    order.visitReference = visitReference
    order.changed = true
    return { ledger, used: order.type }
  }
  ledger.debts.push({
    type: 'VO',
    status: 'USED',
    createdDate: today,
    repaidDate: null,
    repaidReason: null,
    visitReference,
  })
  return { ledger, used: 'VO' }
}

/**
 * A cancelled visit gives back what it used: the used order (unless the VO cap is reached), else
 * its debt row is repaid, else any debt of that type, else a new order (#245).
 */
export function refundVisit(
  input: Ledger,
  options: { today: string; visitReference: string; type: OrderType; max?: number },
): Ledger {
  const { today, visitReference, type } = options
  const max = options.max ?? DEFAULT_MAX_VISIT_ORDERS
  const ledger = cloneLedger(input)
  const used = ledger.orders.find(o => o.visitReference === visitReference && o.status === 'USED')
  if (used) {
    const current = count(ledger, 'VO', 'AVAILABLE') + count(ledger, 'VO', 'ACCUMULATED')
    if (used.type === 'VO' && current >= max) return ledger
    used.status = 'AVAILABLE'
    used.visitReference = null
    used.changed = true
    return ledger
  }
  const linked = ledger.debts.find(d => d.visitReference === visitReference && d.status === 'USED')
  const debt = linked ?? unpaid(ledger, type)[0]
  if (debt) repay(debt, today, 'VISIT_ORDER_REFUND')
  else if (type === 'PVO' || count(ledger, 'VO', 'AVAILABLE') + count(ledger, 'VO', 'ACCUMULATED') < max)
    addOrders(ledger, type, 1, today)
  return ledger
}

export type AdjustmentError =
  | 'VO_OR_PVO_NOT_SUPPLIED'
  | 'VO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX'
  | 'VO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO'
  | 'PVO_TOTAL_POST_ADJUSTMENT_ABOVE_MAX'
  | 'PVO_TOTAL_POST_ADJUSTMENT_BELOW_ZERO'

function adjustType(ledger: Ledger, type: OrderType, amount: number, today: string): void {
  if (amount > 0) {
    addOrders(ledger, type, repayDebt(ledger, type, amount, today, 'MANUAL_PRISONER_BALANCE_ADJUSTMENT'), today)
    return
  }
  // Taking orders away uses accumulated ones before available ones, newest first.
  const rank = (o: VisitOrder) => (o.status === 'ACCUMULATED' ? 0 : 1)
  const candidates = ledger.orders
    .filter(o => o.type === type && (o.status === 'AVAILABLE' || o.status === 'ACCUMULATED'))
    .sort((a, b) => rank(a) - rank(b) || -oldestFirst(a, b))
  for (const order of candidates.slice(0, -amount)) expire(order, today)
}

/**
 * A manual adjustment by staff. Each type is checked against its own balance (the reference
 * checked the PVO adjustment against the VO debt); both are capped at `max`.
 */
export function adjustBalance(
  input: Ledger,
  options: { today: string; voAmount?: number | null; pvoAmount?: number | null; max?: number },
): { ledger: Ledger; errors: AdjustmentError[] } {
  const max = options.max ?? DEFAULT_MAX_VISIT_ORDERS
  const vo = options.voAmount ?? 0
  const pvo = options.pvoAmount ?? 0
  if (vo === 0 && pvo === 0) return { ledger: input, errors: ['VO_OR_PVO_NOT_SUPPLIED'] }
  const balance = balanceOf(input)
  const errors: AdjustmentError[] = []
  const check = (prefix: 'VO' | 'PVO', current: number, amount: number) => {
    if (amount > 0 && current + amount > max) errors.push(`${prefix}_TOTAL_POST_ADJUSTMENT_ABOVE_MAX`)
    if (amount < 0 && current + amount < 0) errors.push(`${prefix}_TOTAL_POST_ADJUSTMENT_BELOW_ZERO`)
  }
  check('VO', balance.voBalance, vo)
  check('PVO', balance.pvoBalance, pvo)
  if (errors.length) return { ledger: input, errors }
  const ledger = cloneLedger(input)
  if (vo) adjustType(ledger, 'VO', vo, options.today)
  if (pvo) adjustType(ledger, 'PVO', pvo, options.today)
  return { ledger, errors }
}

/**
 * A new admission wipes the balance as it stood at the reception (`receivedAt`, ISO 8601): orders
 * expire and debt is written off, and allocation starts afresh. What was written after the
 * reception (a booking, an adjustment, an allocation) belongs to the new stay and is kept, so a
 * reset that reaches us late never undoes it (issue #18). Without `receivedAt` everything is wiped.
 */
export function resetBalance(input: Ledger, today: string, receivedAt?: string): Ledger {
  const ledger = cloneLedger(input)
  const before = (row: { createdAt?: string }) =>
    receivedAt === undefined || row.createdAt === undefined || Date.parse(row.createdAt) <= Date.parse(receivedAt)
  for (const order of ledger.orders)
    if ((order.status === 'AVAILABLE' || order.status === 'ACCUMULATED') && before(order)) expire(order, today)
  for (const debt of ledger.debts)
    if (debt.status === 'USED' && before(debt)) repay(debt, today, 'PRISONER_RECEIVED_RESET')
  const allocatedSince =
    receivedAt !== undefined &&
    Boolean(input.lastAllocatedAt) &&
    Date.parse(input.lastAllocatedAt!) > Date.parse(receivedAt)
  if (!allocatedSince) {
    ledger.lastVoAllocatedDate = addDays(today, -VO_CYCLE_DAYS)
    ledger.lastPvoAllocatedDate = null
  }
  return ledger
}

/** After a merge the kept prisoner is topped up to the higher of the two balances, VOs never above `max`. */
export function topUpAfterMerge(
  input: Ledger,
  removed: Balance,
  today: string,
  max = DEFAULT_MAX_VISIT_ORDERS,
): Ledger {
  const ledger = cloneLedger(input)
  const current = balanceOf(ledger)
  for (const type of ['VO', 'PVO'] as const) {
    const mine = type === 'VO' ? current.voBalance : current.pvoBalance
    const theirs = Math.min(type === 'VO' ? removed.voBalance : removed.pvoBalance, type === 'VO' ? max : Infinity)
    if (theirs > mine) {
      addOrders(ledger, type, repayDebt(ledger, type, theirs - mine, today, 'ADMIN_RESET'), today)
    }
  }
  return ledger
}
