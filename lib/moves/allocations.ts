import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { prepared } from '../../db/prepared'
import type { Write } from '../write'
import { nextAllocationStatus, type AllocationStatus } from '../../machines/allocation'
import type { Cancellation } from './cancellation'
import { DomainError, attribute, relationship } from '../errors'
import { whereAnyOf } from '../jsonapi/filterMatch'
import type { Page } from '../jsonapi/pagination'
import { lockPeople } from './duplicates'
import { recordEvents } from '../events/record'
import { transitionMoves } from './moveChanged'
import { newMoveReference } from './references'
import { allocationsQuery, movesQuery, type AllocationRow, type MoveRow } from './rows'

/**
 * A new allocation, as the contract declares its body (openapi.yaml AllocationCreate, which holds the
 * enumerations and bounds: moves_count 1-200, the reference's estates, categories and sentence lengths).
 */
export type AllocationInput = {
  date: string
  moves_count: number
  estate?: string | null
  estate_comment?: string | null
  prisoner_category?: string | null
  sentence_length?: string | null
  sentence_length_comment?: string | null
  complex_cases?: { allocation_complex_case_id: string; key?: string; title?: string; answer?: boolean }[] | null
  complete_in_full?: boolean
  requested_by?: string | null
  other_criteria?: string | null
  fromLocationId: string
  toLocationId: string
}

async function requireLocation(tx: Tx, id: string, name: string): Promise<void> {
  const found = await tx('locations').where({ id }).first('id')
  if (!found) {
    throw new DomainError('not_found', `Couldn't find Location with 'id'=${id}`, {
      subject: relationship(name),
    })
  }
}

async function checkComplexCases(tx: Tx, cases: { allocation_complex_case_id: string }[]): Promise<void> {
  const ids = [...new Set(cases.map(c => c.allocation_complex_case_id))]
  const known = new Set((await tx('allocation_complex_cases').select('id').whereIn('id', ids)).map(r => r.id as string))
  const problems = cases.flatMap((c, i) =>
    known.has(c.allocation_complex_case_id)
      ? []
      : [
          {
            detail: `Couldn't find AllocationComplexCase with 'id'=${c.allocation_complex_case_id}`,
            subject: attribute('complex_cases', i, 'allocation_complex_case_id'),
          },
        ],
  )
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
}

/** The supplier serving the from-location on the move date, as the reference's SupplierChooser. */
export async function chooseSupplier(tx: Tx, locationId: string, date: string): Promise<string | null> {
  const row = await tx('locations_suppliers')
    .where({ location_id: locationId })
    .where(q => q.whereNull('effective_from').orWhere('effective_from', '<=', date))
    .where(q => q.whereNull('effective_to').orWhere('effective_to', '>=', date))
    .orderBy('supplier_id')
    .first('supplier_id')
  return (row?.supplier_id as string | undefined) ?? null
}

/** Inserts moves with fresh references, drawing again for the (rare) reference already taken. */
export async function insertMoves(tx: Tx, moves: Record<string, unknown>[]): Promise<void> {
  let pending = moves
  while (pending.length) {
    const rows = pending.map(m => ({ ...m, reference: newMoveReference() }))
    const inserted = await tx('moves').insert(rows).onConflict('reference').ignore().returning('id')
    const done = new Set((inserted as { id: string }[]).map(r => r.id))
    pending = pending.filter(m => !done.has(m.id as string))
  }
}

/**
 * Creates the allocation and its `moves_count` requested prison transfers, without profiles, in
 * the caller's transaction.
 */
export async function createAllocation(
  w: Write,
  input: AllocationInput,
  client: { id: string; supplierId: string | null },
  now: Date,
): Promise<AllocationRow> {
  const { tx } = w
  const from = input.fromLocationId
  const to = input.toLocationId
  // Two members compared, which the contract's JSON Schema cannot say.
  if (from === to) {
    throw new DomainError('unprocessable_entity', 'to_location must differ from from_location', {
      subject: relationship('to_location'),
    })
  }
  await requireLocation(tx, from, 'from_location')
  await requireLocation(tx, to, 'to_location')
  const complexCases = input.complex_cases ?? []
  await checkComplexCases(tx, complexCases)

  const id = crypto.randomUUID()
  const date = input.date
  const count = input.moves_count
  await tx('allocations').insert({
    id,
    from_location_id: from,
    to_location_id: to,
    date,
    moves_count: count,
    estate: input.estate ?? null,
    estate_comment: input.estate_comment ?? null,
    prisoner_category: input.prisoner_category ?? null,
    sentence_length: input.sentence_length ?? null,
    sentence_length_comment: input.sentence_length_comment ?? null,
    complex_cases: JSON.stringify(complexCases),
    complete_in_full: input.complete_in_full ?? false,
    requested_by: input.requested_by ?? null,
    other_criteria: input.other_criteria ?? null,
    status: 'unfilled',
    created_at: now,
    updated_at: now,
  })
  const supplierId = client.supplierId ?? (await chooseSupplier(tx, from, date))
  const moves = Array.from({ length: count }, () => ({
    id: crypto.randomUUID(),
    status: 'requested',
    move_type: 'prison_transfer',
    date,
    from_location_id: from,
    to_location_id: to,
    supplier_id: supplierId,
    allocation_id: id,
    created_at: now,
    updated_at: now,
  }))
  await insertMoves(tx, moves)
  await recordEvents(
    w,
    moves.map(m => ({
      eventType: 'MoveRequested',
      moveId: m.id,
      occurredAt: now,
      recordedAt: now,
      toStatus: 'requested',
      by: { clientId: client.id, supplierId: client.supplierId },
    })),
  )
  for (const move of moves) await w.outbox.notifyMoveChanged(tx, { moveId: move.id, eventType: 'create_move', at: now })
  return findAllocation(tx, id)
}

export async function findAllocation(tx: Tx, id: string): Promise<AllocationRow> {
  const row = (await allocationsQuery(tx).where('a.id', id).first()) as AllocationRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Allocation with 'id'=${id}`)
  return row
}

export type AllocationFilter = {
  date_from?: string
  date_to?: string
  from_locations?: string[]
  to_locations?: string[]
  locations?: string[]
  status?: string[]
}

export const ALLOCATION_SORTS = ['from_location', 'to_location', 'moves_count', 'date'] as const
export type Sort = { by: (typeof ALLOCATION_SORTS)[number]; direction: 'asc' | 'desc' }

export async function listAllocations(
  tx: Tx,
  filter: AllocationFilter,
  sort: Sort,
  page: Page,
): Promise<{ rows: AllocationRow[]; total: number }> {
  const where = (q: Knex.QueryBuilder) => {
    if (filter.date_from) q.where('a.date', '>=', filter.date_from)
    if (filter.date_to) q.where('a.date', '<=', filter.date_to)
    if (filter.from_locations) whereAnyOf(q, 'a.from_location_id', filter.from_locations)
    if (filter.to_locations) whereAnyOf(q, 'a.to_location_id', filter.to_locations)
    if (filter.locations) {
      const ids = filter.locations
      q.where(w =>
        w.where(f => whereAnyOf(f, 'a.from_location_id', ids)).orWhere(t => whereAnyOf(t, 'a.to_location_id', ids)),
      )
    }
    if (filter.status) whereAnyOf(q, 'a.status', filter.status)
    return q
  }
  const query = where(allocationsQuery(tx))
  if (sort.by === 'from_location' || sort.by === 'to_location') {
    query.join(`locations as sl`, 'sl.id', `a.${sort.by}_id`).orderBy('sl.title', sort.direction)
  } else {
    query.orderBy(`a.${sort.by}`, sort.direction)
  }
  // Prepared, with the page size in the text, as the moves list's page is (listMoves says why).
  const rows = (await prepared(
    query
      .orderBy('a.id')
      .limit(page.size, { skipBinding: true })
      .offset((page.number - 1) * page.size),
    'varies',
  )) as AllocationRow[]
  const count = (await prepared(where(tx('allocations as a').count('* as count')), 'varies').first()) as
    { count: number } | undefined
  return { rows, total: Number(count?.count ?? 0) }
}

/** The allocation's row, locked, or 404; refused with 409 when its machine does not take `event`. */
async function lockAllocationFor(
  tx: Tx,
  id: string,
  event: 'cancel' | 'update',
): Promise<{ status: AllocationStatus; date: string }> {
  const allocation = (await tx('allocations')
    .where({ id })
    .forUpdate()
    .first('status', tx.raw('date::text as date'))) as { status: AllocationStatus; date: string } | undefined
  if (!allocation) throw new DomainError('not_found', `Couldn't find Allocation with 'id'=${id}`)
  if (!nextAllocationStatus(allocation.status, event)) {
    const action = event === 'cancel' ? 'cancelled' : 'changed'
    throw new DomainError('invalid_transition', `An allocation that is ${allocation.status} cannot be ${action}`, {
      meta: { status: allocation.status, event },
    })
  }
  return allocation
}

/** The allocation's moves, read after its row lock is held, so that their statuses are current. */
async function allocationMoves(tx: Tx, id: string): Promise<MoveRow[]> {
  return (await movesQuery(tx).where('m.allocation_id', id).orderBy('m.id')) as MoveRow[]
}

/**
 * Cancels the allocation and every move of it still live, in the caller's transaction: the move
 * machine's `cancel` runs for each move (through the one transition function, so each gets its
 * MoveCancel event, its planned stays called off and its notifications), with the reason `other`,
 * as in the reference; moves_count becomes 0.
 */
export async function cancelAllocation(
  w: Write,
  id: string,
  cancellation: Cancellation & { occurredAt: Date },
  client: { id: string; supplierId: string | null },
  now: Date,
): Promise<void> {
  const { tx } = w
  await lockAllocationFor(tx, id, 'cancel')
  const moves = await allocationMoves(tx, id)
  await transitionMoves(
    w,
    moves,
    {
      event: 'cancel',
      occurredAt: cancellation.occurredAt,
      notes: cancellation.comment,
      changes: { cancellation_reason: 'other', cancellation_reason_comment: cancellation.comment },
      details: { cancellation_reason: 'other', cancellation_reason_comment: cancellation.comment },
      endedBecause: 'The allocation was cancelled',
    },
    client,
    now,
    { many: true },
  )
  await tx('allocations').where({ id }).update({
    status: 'cancelled',
    moves_count: 0,
    cancellation_reason: cancellation.reason,
    cancellation_reason_comment: cancellation.comment,
    updated_at: now,
  })
}

/**
 * Moves the allocation and every move of it still to happen to a new date, in the caller's
 * transaction: the only way to redate allocation moves. The move machine's `redate` runs for each
 * move (moves under way or over keep their date), so each gets its MoveDateChanged event, its
 * proposed journeys are cancelled, its planned stays are checked against it and its subscribers
 * hear of it (update_move), exactly as a move PATCH of the date.
 */
export async function redateAllocation(
  w: Write,
  id: string,
  change: { date: string; reason: string | null },
  client: { id: string; supplierId: string | null },
  now: Date,
): Promise<AllocationRow> {
  const { tx } = w
  // The duplicate checks take each person's lock, which every path takes before the allocation's.
  await lockPeople(
    tx,
    (await allocationMoves(tx, id)).map(m => m.person_id).filter((p): p is string => p !== null),
  )
  const allocation = await lockAllocationFor(tx, id, 'update')
  const moves = await allocationMoves(tx, id)
  if (allocation.date !== change.date) {
    await tx('allocations').where({ id }).update({ date: change.date, updated_at: now })
    await transitionMoves(
      w,
      moves,
      {
        event: 'redate',
        occurredAt: now,
        notes: change.reason,
        changes: { date: change.date },
        timeline: move => [
          {
            event_type: 'MoveDateChanged',
            occurred_at: now,
            notes: change.reason,
            details: { previous_date: move.date, date: change.date, date_changed_reason: change.reason },
          },
        ],
      },
      client,
      now,
      { many: true },
    )
  }
  return findAllocation(tx, id)
}
