import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { nextAllocationStatus, refreshedAllocationStatus, type AllocationStatus } from '../../machines/allocation'
import { MOVE_STATUSES, nextMoveStatus } from '../../machines/move'
import type { Cancellation } from './cancellation'
import { DomainError, attribute, relationship } from '../errors'
import { whereAnyOf } from '../jsonapi/filterMatch'
import type { Page } from '../jsonapi/pagination'
import { cancelPlannedLodgings } from './lodgingCancellation'
import { newMoveReference } from './references'
import { allocationsQuery, type AllocationRow } from './rows'

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
  await tx('move_events').insert(
    moves.map(m => ({
      move_id: m.id,
      event_type: 'MoveRequested',
      occurred_at: now,
      to_status: 'requested',
      api_client_id: client.id,
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

/**
 * Takes the allocation's row lock before a change to one of its moves. Cancelling an allocation
 * locks the allocation and then its moves; a move change must take them in the same order, or the
 * two deadlock (the move changed first, then the allocation refreshed).
 */
export async function lockAllocation(tx: Tx, id: string | null): Promise<void> {
  if (id) await tx('allocations').where({ id }).forUpdate().first('id')
}

/**
 * Recomputes the allocation's status and moves_count from its moves. The row lock makes
 * concurrent refreshes take turns, so the last one always counts every committed change.
 */
export async function refreshAllocation(tx: Tx, id: string, now: Date): Promise<void> {
  const allocation = await tx('allocations').where({ id }).forUpdate().first('status')
  if (!allocation) return
  const counts = (await tx('moves')
    .where({ allocation_id: id })
    .whereNot('status', 'cancelled')
    .select(tx.raw('count(*)::int as live'), tx.raw('(count(*) - count(profile_id))::int as without_profile'))
    .first()) as { live: number; without_profile: number }
  const status = refreshedAllocationStatus(allocation.status as AllocationStatus, {
    live: counts.live,
    withoutProfile: counts.without_profile,
  })
  await tx('allocations').where({ id }).update({ status, moves_count: counts.live, updated_at: now })
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
  const rows = (await query
    .orderBy('a.id')
    .limit(page.size)
    .offset((page.number - 1) * page.size)) as AllocationRow[]
  const count = (await where(tx('allocations as a').count('* as count')).first()) as { count: number } | undefined
  return { rows, total: Number(count?.count ?? 0) }
}

/**
 * Cancels the allocation and every move of it still live, in the caller's transaction: each move
 * gets a MoveCancel event with the reason `other`, as in the reference, and moves_count becomes 0.
 */
export async function cancelAllocation(
  w: Write,
  id: string,
  cancellation: Cancellation & { occurredAt: Date },
  apiClientId: string,
  now: Date,
): Promise<void> {
  const { tx } = w
  const allocation = await tx('allocations').where({ id }).forUpdate().first('status')
  if (!allocation) throw new DomainError('not_found', `Couldn't find Allocation with 'id'=${id}`)
  const status = allocation.status as AllocationStatus
  if (!nextAllocationStatus(status, 'cancel')) {
    throw new DomainError('invalid_transition', `An allocation that is ${status} cannot be cancelled`, {
      meta: { status, event: 'cancel' },
    })
  }
  const cancellable = MOVE_STATUSES.filter(s => nextMoveStatus(s, 'cancel') === 'cancelled')
  const moves = (await tx('moves')
    .where({ allocation_id: id })
    .whereIn('status', cancellable)
    .forUpdate()
    .select('id', 'status')) as { id: string; status: string }[]
  if (moves.length) {
    await tx('moves')
      .whereIn(
        'id',
        moves.map(m => m.id),
      )
      .update({
        status: 'cancelled',
        cancellation_reason: 'other',
        cancellation_reason_comment: cancellation.comment,
        updated_at: now,
      })
    await tx('move_events').insert(
      moves.map(m => ({
        move_id: m.id,
        event_type: 'MoveCancel',
        occurred_at: cancellation.occurredAt,
        from_status: m.status,
        to_status: 'cancelled',
        notes: cancellation.comment,
        api_client_id: apiClientId,
      })),
    )
    await cancelPlannedLodgings(
      tx,
      moves.map(m => m.id),
      {
        occurredAt: cancellation.occurredAt,
        notes: cancellation.comment,
        reason: 'other',
        comment: 'The allocation was cancelled',
      },
      apiClientId,
      now,
    )
    // A supplier never heard of a proposed move, so hears nothing of its cancellation either.
    for (const move of moves.filter(m => m.status !== 'proposed')) {
      await w.outbox.notifyMoveChanged(tx, { moveId: move.id, eventType: 'update_move_status', at: now })
    }
  }
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
 * transaction, each move with a MoveDateChanged event: the only way to redate allocation moves.
 */
export async function redateAllocation(
  w: Write,
  id: string,
  change: { date: string; reason: string | null },
  apiClientId: string,
  now: Date,
): Promise<AllocationRow> {
  const { tx } = w
  const allocation = await tx('allocations').where({ id }).forUpdate().first('status', tx.raw('date::text as date'))
  if (!allocation) throw new DomainError('not_found', `Couldn't find Allocation with 'id'=${id}`)
  if (allocation.status === 'cancelled') {
    throw new DomainError('invalid_transition', 'A cancelled allocation cannot be changed', {
      meta: { status: allocation.status, event: 'update' },
    })
  }
  if (allocation.date !== change.date) {
    const moves = (await tx('moves')
      .where({ allocation_id: id })
      .whereIn('status', ['proposed', 'requested', 'booked'])
      .forUpdate()
      .select('id', tx.raw('date::text as date'))) as { id: string; date: string | null }[]
    await tx('allocations').where({ id }).update({ date: change.date, updated_at: now })
    if (moves.length) {
      await tx('moves')
        .whereIn(
          'id',
          moves.map(m => m.id),
        )
        .update({ date: change.date, updated_at: now })
      await tx('move_events').insert(
        moves.map(m => ({
          move_id: m.id,
          event_type: 'MoveDateChanged',
          occurred_at: now,
          notes: change.reason,
          api_client_id: apiClientId,
          details: JSON.stringify({ previous_date: m.date, date: change.date, date_changed_reason: change.reason }),
        })),
      )
    }
  }
  return findAllocation(tx, id)
}
