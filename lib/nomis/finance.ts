import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { londonToday } from '../clock'
import { DomainError } from '../errors'
import { recordOffenderEvent } from '../prisonerRecords/events'

/** Amounts are integer pence throughout; sub-account balances never go below zero. */

export const ACCOUNT_CODES: Record<string, string> = { spends: 'SPND', cash: 'REG', savings: 'SAV' }
const ACCOUNT_DESC: Record<string, string> = { SPND: 'Spends', REG: 'Private Cash', SAV: 'Savings' }

/**
 * The stored client_unique_ref: as sent (openapi.yaml's NomisClientUniqueRef, checked at the edge),
 * prefixed with X-Client-Name and a dash.
 */
export function storedClientRef(ref: string | undefined, clientName: string | undefined): string | null {
  if (ref === undefined) return null
  return clientName ? `${clientName}-${ref}` : ref
}

/** The seed's three rules for giving a stored client_unique_ref back to a client. */
export function returnedClientRef(stored: string | null, clientName: string | undefined): string | undefined {
  if (stored === null) return undefined
  if (!clientName) return stored
  return stored.startsWith(`${clientName}-`) ? stored.slice(clientName.length + 1) : undefined
}

type OffenderRow = { noms_id: string; prison_id: string | null; custody_status: 'IN' | 'TRN' | 'OUT' }

export async function requireOffender(tx: Tx, nomsId: string, lock = false): Promise<OffenderRow> {
  const query = tx<OffenderRow>('offenders').where({ noms_id: nomsId })
  const row = await (lock ? query.forUpdate() : query).first('noms_id', 'prison_id', 'custody_status')
  if (!row) throw new DomainError('not_found', 'Offender Not Found')
  return row
}

export async function requirePrison(
  tx: Tx,
  prisonId: string,
): Promise<{ prison_id: string; description: string; establishment_type: string }> {
  const prison = await tx('prisons').where({ prison_id: prisonId }).first()
  if (!prison) throw new DomainError('not_found', 'Prison Not Found')
  return prison
}

async function requireTrustAccount(tx: Tx, nomsId: string, prisonId: string) {
  const account = await tx('trust_accounts').where({ noms_id: nomsId, prison_id: prisonId }).first()
  if (!account) throw new DomainError('unprocessable_entity', 'Offender does not have a trust account at this prison')
  return account as { closed: boolean }
}

export async function getAccounts(tx: Tx, nomsId: string, prisonId: string) {
  await requireOffender(tx, nomsId)
  await requirePrison(tx, prisonId)
  await requireTrustAccount(tx, nomsId, prisonId)
  const rows: { account_code: string; balance: number }[] = await tx('sub_accounts')
    .where({ noms_id: nomsId, prison_id: prisonId })
    .select('account_code', 'balance')
  const balance = (code: string) => rows.find(r => r.account_code === code)?.balance ?? 0
  return { spends: balance('SPND'), cash: balance('REG'), savings: balance('SAV') }
}

type TransactionRow = {
  txn_id: number
  txn_seq: number
  type_code: string
  type_desc: string
  description: string
  amount: number
  entry_date: string
}

function transactionView(row: TransactionRow) {
  return {
    id: `${row.txn_id}-${row.txn_seq}`,
    type: { code: row.type_code, desc: row.type_desc },
    description: row.description,
    amount: String(row.amount),
    date: row.entry_date,
  }
}

function transactionsQuery(tx: Tx) {
  return tx('offender_transactions as t')
    .join('transaction_types as tt', 'tt.code', 't.type_code')
    .select('t.txn_id', 't.txn_seq', 't.type_code', 'tt.description as type_desc', 't.description', 't.amount')
    .select(tx.raw(`to_char(t.entry_date, 'YYYY-MM-DD') as entry_date`))
}

/** NOMIS order: latest date first, then transaction id and sequence descending. */
export async function listTransactions(
  tx: Tx,
  nomsId: string,
  prisonId: string,
  accountCode: string,
  fromDate: string,
  toDate: string,
) {
  await requireOffender(tx, nomsId)
  await requirePrison(tx, prisonId)
  const rows: TransactionRow[] = await transactionsQuery(tx)
    .where({ 't.noms_id': nomsId, 't.prison_id': prisonId, 't.account_code': accountCode })
    .whereBetween('t.entry_date', [fromDate, toDate])
    .orderBy([
      { column: 't.entry_date', order: 'desc' },
      { column: 't.txn_id', order: 'desc' },
      { column: 't.txn_seq', order: 'desc' },
    ])
  return rows.map(transactionView)
}

export async function findTransactionByRef(tx: Tx, nomsId: string, prisonId: string, storedRef: string) {
  await requireOffender(tx, nomsId)
  const row: TransactionRow | undefined = await transactionsQuery(tx)
    .where({ 't.noms_id': nomsId, 't.prison_id': prisonId, 't.client_unique_ref': storedRef })
    .first()
  if (!row) throw new DomainError('not_found', 'Transaction not found')
  return transactionView(row)
}

type Posting = {
  nomsId: string
  prisonId: string
  accountCode: string
  typeCode: string
  description: string
  amount: number
  clientTransactionId?: string | null
  clientUniqueRef?: string | null
  holdDelta?: number
}

export async function nextTransactionId(tx: Tx): Promise<number> {
  const result = await tx.raw(`select nextval('offender_transaction_id_seq') as id`)
  return Number(result.rows[0].id)
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505'
}

/**
 * One posting of a transaction: moves a sub-account balance by a conditional UPDATE (never below
 * zero) and writes the transaction row and a BALANCE_UPDATE event.
 */
export async function post(
  w: Write,
  txnId: number,
  seq: number,
  p: Posting,
  duplicateMessage = 'Duplicate post',
): Promise<void> {
  const { tx, clock } = w
  try {
    await tx('offender_transactions').insert({
      txn_id: txnId,
      txn_seq: seq,
      noms_id: p.nomsId,
      prison_id: p.prisonId,
      account_code: p.accountCode,
      type_code: p.typeCode,
      description: p.description,
      amount: p.amount,
      entry_date: londonToday(clock),
      client_transaction_id: p.clientTransactionId ?? null,
      client_unique_ref: p.clientUniqueRef ?? null,
      created_at: clock.now(),
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('conflict', duplicateMessage)
    throw err
  }
  const holdDelta = p.holdDelta ?? 0
  const [row] = await tx('sub_accounts')
    .where({ noms_id: p.nomsId, prison_id: p.prisonId, account_code: p.accountCode })
    .andWhere(tx.raw('balance + ? >= 0 and hold_balance + ? >= 0', [p.amount, holdDelta]))
    .update({ balance: tx.raw('balance + ?', [p.amount]), hold_balance: tx.raw('hold_balance + ?', [holdDelta]) })
    .returning('balance')
  if (!row) {
    const exists = await tx('sub_accounts')
      .where({ noms_id: p.nomsId, prison_id: p.prisonId, account_code: p.accountCode })
      .first('balance')
    throw new DomainError('unprocessable_entity', exists ? 'Insufficient Funds' : 'Sub account does not exist')
  }
  await recordOffenderEvent(w, {
    type: 'BALANCE_UPDATE',
    nomsId: p.nomsId,
    prisonId: p.prisonId,
    payload: {
      account: { code: p.accountCode, desc: ACCOUNT_DESC[p.accountCode] },
      balance: Number((row as { balance: number }).balance),
    },
  })
}

async function refTaken(tx: Tx, storedRef: string | null): Promise<boolean> {
  if (!storedRef) return false
  return Boolean(await tx('offender_transactions').where({ client_unique_ref: storedRef }).first('txn_id'))
}

type TransactionType = { code: string; description: string; usage: 'R' | 'D'; account_code: string }

async function prisonTransactionType(tx: Tx, prisonId: string, code: string): Promise<TransactionType> {
  const type = await tx('transaction_types as tt')
    .join('prison_transaction_types as ptt', 'ptt.type_code', 'tt.code')
    .where({ 'ptt.prison_id': prisonId, 'tt.code': code })
    .first('tt.*')
  if (!type) throw new DomainError('unprocessable_entity', 'Invalid transaction type')
  return type
}

/**
 * What every posting to an offender's account checks first, in the seed's order of precedence: the
 * offender and prison exist, the client's reference is unused (the seed spells the message
 * differently for transactions and holds), and the offender is in that prison now.
 */
async function requirePostableAtPrison(
  tx: Tx,
  input: { nomsId: string; prisonId: string; clientUniqueRef: string | null },
  duplicateMessage: string,
): Promise<void> {
  const offender = await requireOffender(tx, input.nomsId, true)
  await requirePrison(tx, input.prisonId)
  if (await refTaken(tx, input.clientUniqueRef)) throw new DomainError('conflict', duplicateMessage)
  if (offender.custody_status !== 'IN' || offender.prison_id !== input.prisonId) {
    throw new DomainError('unprocessable_entity', 'Offender not in specified prison')
  }
}

export type TransactionInput = {
  nomsId: string
  prisonId: string
  type: string
  description: string
  amount: number
  clientTransactionId?: string
  clientUniqueRef: string | null
}

export async function postTransaction(w: Write, input: TransactionInput): Promise<string> {
  const { tx } = w
  await requirePostableAtPrison(tx, input, 'Duplicate post')
  const type = await prisonTransactionType(tx, input.prisonId, input.type)
  await requireTrustAccount(tx, input.nomsId, input.prisonId)
  const txnId = await nextTransactionId(tx)
  await post(w, txnId, 1, {
    nomsId: input.nomsId,
    prisonId: input.prisonId,
    accountCode: type.account_code,
    typeCode: type.code,
    description: input.description,
    amount: type.usage === 'D' ? -input.amount : input.amount,
    clientTransactionId: input.clientTransactionId,
    clientUniqueRef: input.clientUniqueRef,
  })
  return `${txnId}-1`
}

/** Moves every sub-account balance from one prison's trust account to another's, as one transaction. */
export async function moveFunds(w: Write, nomsId: string, fromPrison: string, toPrison: string) {
  const { tx } = w
  const balances: { account_code: string; balance: number }[] = await tx('sub_accounts')
    .where({ noms_id: nomsId, prison_id: fromPrison })
    .andWhere('balance', '>', 0)
    .orderBy('account_code')
    .select('account_code', 'balance')
  if (!balances.length) return
  const txnId = await nextTransactionId(tx)
  let seq = 0
  for (const b of balances) {
    const base = { nomsId, accountCode: b.account_code, clientTransactionId: null }
    await post(w, txnId, ++seq, {
      ...base,
      prisonId: fromPrison,
      typeCode: 'TOX',
      description: `Transfer to ${toPrison}`,
      amount: -b.balance,
    })
    await post(w, txnId, ++seq, {
      ...base,
      prisonId: toPrison,
      typeCode: 'TIX',
      description: `Transfer from ${fromPrison}`,
      amount: b.balance,
    })
  }
}

export type HoldInput = {
  nomsId: string
  prisonId: string
  description?: string
  amount: number
  referenceNo?: string
  holdUntilDate?: string
  clientUniqueRef: string | null
}

/** A hold moves money from the cash sub-account's available balance into its hold balance (HOA). */
export async function addHold(w: Write, input: HoldInput): Promise<number> {
  const { tx, clock } = w
  await requirePostableAtPrison(tx, input, 'Duplicate Post')
  if (input.holdUntilDate !== undefined && input.holdUntilDate <= londonToday(clock)) {
    throw new DomainError('unprocessable_entity', 'Hold date should be greater than current date')
  }
  const account = await tx('sub_accounts')
    .where({ noms_id: input.nomsId, prison_id: input.prisonId, account_code: 'REG' })
    .forUpdate()
    .first('balance')
  if (!account) throw new DomainError('unprocessable_entity', 'Sub account does not exist')
  if (Number(account.balance) <= 0)
    throw new DomainError('unprocessable_entity', 'There is no balance available in the Sub account')
  if (input.amount > Number(account.balance)) {
    throw new DomainError('unprocessable_entity', 'Hold Amount Cannot exceed the Balance Amount')
  }
  const txnId = await nextTransactionId(tx)
  await post(
    w,
    txnId,
    1,
    {
      nomsId: input.nomsId,
      prisonId: input.prisonId,
      accountCode: 'REG',
      typeCode: 'HOA',
      description: input.description ?? 'HOLD',
      amount: -input.amount,
      clientTransactionId: input.referenceNo,
      clientUniqueRef: input.clientUniqueRef,
      holdDelta: input.amount,
    },
    'Duplicate Post',
  )
  const [row] = await tx('offender_holds')
    .insert({
      hold_number: tx.raw(`nextval('hold_number_seq')`),
      noms_id: input.nomsId,
      prison_id: input.prisonId,
      account_code: 'REG',
      amount: input.amount,
      description: input.description ?? null,
      reference_no: input.referenceNo ?? null,
      entry_date: londonToday(clock),
      hold_until_date: input.holdUntilDate ?? null,
      client_unique_ref: input.clientUniqueRef,
      txn_id: txnId,
    })
    .returning('hold_number')
  return Number((row as { hold_number: number }).hold_number)
}

export async function listHolds(
  tx: Tx,
  nomsId: string,
  prisonId: string,
  storedRef: string | null,
  clientName: string | undefined,
) {
  await requireOffender(tx, nomsId)
  await requirePrison(tx, prisonId)
  const query = tx('offender_holds')
    .where({ noms_id: nomsId, prison_id: prisonId })
    .whereNull('released_at')
    .orderBy('hold_number')
    .select(
      'hold_number',
      'client_unique_ref',
      'reference_no',
      'description',
      'amount',
      tx.raw(`to_char(entry_date, 'YYYY-MM-DD') as entry_day`),
      tx.raw(`to_char(hold_until_date, 'YYYY-MM-DD') as until_day`),
    )
  if (storedRef !== null) query.where({ client_unique_ref: storedRef })
  const rows: Record<string, string | number | null>[] = await query
  return rows.map(r =>
    Object.fromEntries(
      Object.entries({
        hold_number: Number(r.hold_number),
        client_unique_ref: returnedClientRef(r.client_unique_ref as string | null, clientName),
        reference_no: r.reference_no,
        description: r.description,
        entry_date: r.entry_day,
        amount: Number(r.amount),
        hold_until_date: r.until_day,
      }).filter(([, v]) => v !== undefined && v !== null),
    ),
  )
}

/** Releasing a hold (HOR) gives the held amount back to the available balance. */
export async function releaseHold(
  w: Write,
  input: { nomsId: string; prisonId: string; holdNumber: number; description?: string },
): Promise<void> {
  const { tx, clock } = w
  // Every money-moving use case locks the offender first, so none waits for the feed lock while
  // holding a sub-account another one needs.
  await requireOffender(tx, input.nomsId, true)
  await requirePrison(tx, input.prisonId)
  // The offender lock already serializes releases: a second release of the same hold finds it released.
  const hold: { hold_number: number; amount: number; account_code: string } | undefined = await tx('offender_holds')
    .where({ hold_number: input.holdNumber, noms_id: input.nomsId, prison_id: input.prisonId })
    .whereNull('released_at')
    .first('hold_number', 'amount', 'account_code')
  if (!hold) throw new DomainError('unprocessable_entity', 'Hold not found')
  await post(w, await nextTransactionId(tx), 1, {
    nomsId: input.nomsId,
    prisonId: input.prisonId,
    accountCode: hold.account_code,
    typeCode: 'HOR',
    description: input.description ?? 'Remove Hold',
    amount: Number(hold.amount),
    holdDelta: -Number(hold.amount),
  })
  await tx('offender_holds').where({ hold_number: hold.hold_number }).update({ released_at: clock.now() })
}

export type PaymentInput = {
  nomsId: string
  prisonId: string
  type: 'A_EARN' | 'ADJ'
  description?: string
  amount: number
  clientTransactionId?: string
}

/** Pay events wait for the posting step that runs after payroll. */
export async function storePayment(w: Write, input: PaymentInput): Promise<void> {
  const { tx, clock } = w
  await requireOffender(tx, input.nomsId)
  const prison = await requirePrison(tx, input.prisonId)
  if (prison.establishment_type !== 'DIG')
    throw new DomainError('unprocessable_entity', 'Prison is not a digital prison')
  await requireTrustAccount(tx, input.nomsId, input.prisonId)
  await tx('stored_payments').insert({
    noms_id: input.nomsId,
    prison_id: input.prisonId,
    type_code: input.type,
    description: input.description ?? null,
    amount: input.amount,
    client_transaction_id: input.clientTransactionId ?? null,
    received_at: clock.now(),
  })
}

export type TransferTransactionInput = {
  nomsId: string
  previousPrisonId: string
  type: string
  description: string
  amount: number
  clientTransactionId?: string
  clientUniqueRef: string | null
}

/**
 * A receipt for a prisoner who has left: posted at the previous prison's account (reopened for the
 * purpose), then moved on to the current prison, or paid out to NACRO when released.
 */
export async function transferTransaction(w: Write, input: TransferTransactionInput) {
  const { tx } = w
  const offender = await requireOffender(tx, input.nomsId, true)
  await requirePrison(tx, input.previousPrisonId)
  if (await refTaken(tx, input.clientUniqueRef)) throw new DomainError('conflict', 'Duplicate Post')
  const account = await tx('trust_accounts')
    .where({ noms_id: input.nomsId, prison_id: input.previousPrisonId })
    .forUpdate()
    .first('closed')
  if (!account) throw new DomainError('not_found', 'Offender never at prison')
  const type = await prisonTransactionType(tx, input.previousPrisonId, input.type)
  if (type.usage !== 'R') throw new DomainError('unprocessable_entity', 'Only receipt transaction types allowed')
  if (offender.custody_status === 'TRN') throw new DomainError('unprocessable_entity', 'Offender being transferred')
  if (offender.custody_status === 'IN' && offender.prison_id === input.previousPrisonId) {
    throw new DomainError('unprocessable_entity', 'Offender still in specified prison')
  }
  const txnId = await nextTransactionId(tx)
  await post(
    w,
    txnId,
    1,
    {
      nomsId: input.nomsId,
      prisonId: input.previousPrisonId,
      accountCode: type.account_code,
      typeCode: type.code,
      description: input.description,
      amount: input.amount,
      clientTransactionId: input.clientTransactionId,
      clientUniqueRef: input.clientUniqueRef,
    },
    'Duplicate Post',
  )
  let currentLocation: { code: string; desc: string }
  if (offender.custody_status === 'IN' && offender.prison_id) {
    const current = await requirePrison(tx, offender.prison_id)
    await moveFunds(w, input.nomsId, input.previousPrisonId, current.prison_id)
    currentLocation = { code: current.prison_id, desc: current.description }
  } else {
    await payOutToNacro(w, input.nomsId, input.previousPrisonId)
    currentLocation = { code: 'OUT', desc: 'OUTSIDE' }
  }
  await tx('trust_accounts')
    .where({ noms_id: input.nomsId, prison_id: input.previousPrisonId })
    .update({ closed: true })
  return { current_location: currentLocation, transaction: { id: `${txnId}-1` } }
}

async function payOutToNacro(w: Write, nomsId: string, prisonId: string) {
  const { tx } = w
  const balances: { account_code: string; balance: number }[] = await tx('sub_accounts')
    .where({ noms_id: nomsId, prison_id: prisonId })
    .andWhere('balance', '>', 0)
    .orderBy('account_code')
    .select('account_code', 'balance')
  if (!balances.length) return
  const txnId = await nextTransactionId(tx)
  let seq = 0
  for (const b of balances) {
    await post(w, txnId, ++seq, {
      nomsId,
      prisonId,
      accountCode: b.account_code,
      typeCode: 'NACRO',
      description: 'Inactive account cleared to NACRO',
      amount: -b.balance,
    })
  }
}
