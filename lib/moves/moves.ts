import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { prepared, whereAnyValue } from '../../db/prepared'
import type { Write } from '../write'
import type { MoveEventName } from '../../machines/move'
import { authoriseProfileUse } from '../auth/writeScope'
import { refuseUnsupportedCategory } from '../reference/regionsAndCategories'
import { DomainError, attribute, relationship } from '../errors'
import { whereAnyOf } from '../jsonapi/filterMatch'
import type { Page } from '../jsonapi/pagination'
import { transitionMoves, type MoveTransition, type TimelineEntry } from './moveChanged'
import { movesQuery, scopeToSupplier, withEmbedded, type EmbeddingMoveRow, type MoveEmbeds, type MoveRow } from './rows'

export const MOVE_TYPES = [
  'court_appearance',
  'court_other',
  'hospital',
  'police_transfer',
  'prison_recall',
  'prison_remand',
  'prison_transfer',
  'video_remand',
  'approved_premises',
  'extradition',
] as const

export const MOVE_SORTS = [
  'name',
  'from_location',
  'to_location',
  'prison_transfer_reason',
  'created_at',
  'date_from',
  'date',
] as const

/**
 * The moves list's filters (the reference's `Moves::Finder`). Comma-list filters are undefined when
 * absent and empty when given empty (rows where the value is null). Values that no move can have (an
 * unknown status or reason) match nothing rather than fail the request: the frontend sends statuses
 * the reference no longer has (`accepted`).
 */
export type MoveFilter = {
  date_from?: string
  date_to?: string
  created_at_from?: string
  created_at_to?: string
  /** The person's date of birth, inclusive bounds. */
  date_of_birth_from?: string
  date_of_birth_to?: string
  has_relationship_to_allocation?: boolean
  /**
   * The person escort record of the move's profile is completed or confirmed (true), or it is not, or
   * there is none (false); reference §2.10.
   */
  ready_for_transit?: boolean
  status?: string[]
  move_type?: string[]
  cancellation_reason?: string[]
  rejection_reason?: string[]
  /** The type of the move's destination; empty: moves with no destination. */
  location_type?: string[]
  from_location_id?: string[]
  to_location_id?: string[]
  location_id?: string[]
  supplier_id?: string[]
  profile_id?: string[]
  person_id?: string[]
  reference?: string[]
}

export type Sort = { by: (typeof MOVE_SORTS)[number]; direction: 'asc' | 'desc' }

function applyFilter(tx: Tx, q: Knex.QueryBuilder, filter: MoveFilter): Knex.QueryBuilder {
  // created_at bounds are London calendar dates, both inclusive.
  if (filter.created_at_from) {
    q.whereRaw(`m.created_at >= (?::date)::timestamp at time zone 'Europe/London'`, [filter.created_at_from])
  }
  if (filter.created_at_to) {
    q.whereRaw(`m.created_at < (?::date + 1)::timestamp at time zone 'Europe/London'`, [filter.created_at_to])
  }
  applyRoute(tx, q, filter)
  if (filter.has_relationship_to_allocation === true) q.whereNotNull('m.allocation_id')
  if (filter.has_relationship_to_allocation === false) q.whereNull('m.allocation_id')
  if (filter.ready_for_transit !== undefined) {
    const ready = function (this: Knex.QueryBuilder) {
      this.select(1)
        .from('assessments as rfa')
        .whereRaw('rfa.profile_id = m.profile_id')
        .where('rfa.kind', 'person_escort_record')
        .whereIn('rfa.status', ['completed', 'confirmed'])
    }
    if (filter.ready_for_transit) q.whereExists(ready)
    else q.whereNotExists(ready)
  }
  if (filter.status) whereAnyOf(q, 'm.status', filter.status)
  if (filter.move_type) whereAnyOf(q, 'm.move_type', filter.move_type)
  if (filter.cancellation_reason) whereAnyOf(q, 'm.cancellation_reason', filter.cancellation_reason)
  if (filter.rejection_reason) whereAnyOf(q, 'm.rejection_reason', filter.rejection_reason)
  const types = filter.location_type
  if (types?.length) {
    q.whereExists(function (this: Knex.QueryBuilder) {
      whereAnyValue(
        this.select(1).from('locations as tl').whereRaw('tl.id = m.to_location_id'),
        'tl.location_type',
        types,
      )
    })
  } else if (types) q.whereNull('m.to_location_id')
  if (filter.date_of_birth_from || filter.date_of_birth_to) {
    q.whereExists(function (this: Knex.QueryBuilder) {
      this.select(1).from('people as bp').whereRaw('bp.id = mp.person_id')
      if (filter.date_of_birth_from) this.where('bp.date_of_birth', '>=', filter.date_of_birth_from)
      if (filter.date_of_birth_to) this.where('bp.date_of_birth', '<=', filter.date_of_birth_to)
    })
  }
  if (filter.supplier_id) whereAnyOf(q, 'm.supplier_id', filter.supplier_id)
  if (filter.profile_id) whereAnyOf(q, 'm.profile_id', filter.profile_id)
  if (filter.person_id) whereAnyOf(q, 'mp.person_id', filter.person_id)
  if (filter.reference) whereAnyOf(q, 'm.reference', filter.reference)
  return q
}

/**
 * Date and location filters. A move matches on its own date and locations, or, as in the
 * reference's finder, through an overnight lodging: a prison where a person is lodged sees the move
 * arriving there (filter[to_location_id]) on the stay's start_date and leaving (from_location_id)
 * on its end_date; filter[location_id] takes either.
 *
 * The lodging edge is the ids of its moves as one array (`m.id = any(array(...))`), computed once a
 * statement, not a correlated EXISTS: PostgreSQL can read each side of the OR from an index (the
 * move's location and date, db/migrations/20261202500000_move_location_indexes.ts, and the primary
 * key) and join the two, where an EXISTS in an OR made it test every move of the table (450 ms a page
 * on the bench's 120,000 moves, issue #16).
 */
function applyRoute(tx: Tx, q: Knex.QueryBuilder, filter: MoveFilter): void {
  const inDates = (w: Knex.QueryBuilder, column: string) => {
    if (filter.date_from) w.where(column, '>=', filter.date_from)
    if (filter.date_to) w.where(column, '<=', filter.date_to)
  }
  const { from_location_id: from, to_location_id: to, location_id: either } = filter
  if (!from && !to && !either) {
    inDates(q, 'm.date')
    return
  }
  q.where(route => {
    route.where(own => {
      inDates(own, 'm.date')
      if (from) whereAnyOf(own, 'm.from_location_id', from)
      if (to) whereAnyOf(own, 'm.to_location_id', to)
      if (either) {
        own.where(w =>
          w
            .where(f => whereAnyOf(f, 'm.from_location_id', either))
            .orWhere(t => whereAnyOf(t, 'm.to_location_id', either)),
        )
      }
    })
    // A lodging is one place, so it is an edge only when one kind of location filter is given.
    const kinds = [from, to, either].filter(Boolean).length
    if (kinds !== 1) return
    const lodged = tx('lodgings as fl').select('fl.move_id').whereNot('fl.status', 'cancelled')
    whereAnyValue(lodged, 'fl.location_id', (from ?? to ?? either)!)
    if (from) inDates(lodged, 'fl.end_date')
    else if (to) inDates(lodged, 'fl.start_date')
    else
      lodged.where(w => w.where(start => inDates(start, 'fl.start_date')).orWhere(end => inDates(end, 'fl.end_date')))
    route.orWhereRaw('m.id = any(array(?))', [lodged])
  })
}

/** The sorts on a related row's column, which no index of moves can give in order. */
const RELATED_SORTS = new Set<Sort['by']>(['name', 'from_location', 'to_location', 'prison_transfer_reason'])

function applySort(tx: Tx, q: Knex.QueryBuilder, sort: Sort): void {
  const nulls = sort.direction === 'asc' ? 'nulls first' : 'nulls last'
  switch (sort.by) {
    case 'name':
      q.leftJoin('people as sp', 'sp.id', 'mp.person_id').orderByRaw(
        `sp.last_name ${sort.direction} ${nulls}, sp.first_names ${sort.direction} ${nulls}`,
      )
      break
    case 'from_location':
    case 'to_location':
      q.leftJoin('locations as sl', 'sl.id', `m.${sort.by}_id`).orderByRaw(`sl.title ${sort.direction} ${nulls}`)
      break
    case 'prison_transfer_reason':
      q.leftJoin('prison_transfer_reasons as sr', 'sr.id', 'm.prison_transfer_reason_id').orderByRaw(
        `sr.title ${sort.direction} ${nulls}`,
      )
      break
    default:
      q.orderByRaw(`${tx.ref(`m.${sort.by}`).toQuery()} ${sort.direction} ${nulls}`)
  }
  // The id breaks ties in the sort's direction, so that one index (column nulls first, id) read forwards or
  // backwards gives either order (db/migrations/20261201300000_move_list_indexes.ts).
  q.orderBy('m.id', sort.direction)
}

/**
 * One page of moves and the total, in one statement whatever the page size: the total is an
 * uncorrelated subquery of the page's statement, computed once, and `embeds` brings the profile and
 * person of each move in it too. A page past the last one has no row to carry the total, and only then
 * is it counted on its own.
 */
export async function listMoves(
  tx: Tx,
  filter: MoveFilter,
  sort: Sort,
  page: Page,
  supplierId: string | null,
  embeds: MoveEmbeds = {},
): Promise<{ rows: EmbeddingMoveRow[]; total: number }> {
  // The profile is joined only for a filter or sort on it: a join left unused still keeps the count off
  // the index alone (the planner has already decided to read m.profile_id when it removes the join).
  const matching = (sorted: boolean) => {
    const moves = tx('moves as m')
    if (filter.person_id || filter.date_of_birth_from || filter.date_of_birth_to || (sorted && sort.by === 'name')) {
      moves.leftJoin('profiles as mp', 'mp.id', 'm.profile_id')
    }
    return applyFilter(tx, scopeToSupplier(moves, supplierId), filter)
  }
  const counted = () => matching(false).count('*')
  const offset = (page.number - 1) * page.size
  // The page size is written into the text (a validated integer, so no injection), the offset stays a
  // value: PostgreSQL estimates a generic plan with `limit $n` at a tenth of the rows, too dear ever to be
  // kept for the prepared statement; with the size itself it is kept when the count's rows, which it
  // guesses at 0.5% of the table whatever the dates, cost no more than the custom plans'. Page 1 has no offset.
  const sized = { skipBinding: true }
  let query: Knex.QueryBuilder
  if (RELATED_SORTS.has(sort.by)) {
    // No index gives this order, so every matching move is sorted: only the ids and the sort's keys,
    // chosen first; the wide rows (the move, its profile's answers, its person) and their subqueries
    // are read for the page's moves alone, sorted again among themselves. Sorted whole, the rows of the
    // 20,000-move day spilled to disk.
    const ids = matching(true).select('m.id')
    applySort(tx, ids, sort)
    query = movesQuery(tx, embeds).whereIn('m.id', ids.limit(page.size, sized).offset(offset))
    applySort(tx, query, sort)
  } else {
    // The sort's index gives the page in order and stops after it: read in one pass.
    query = applyFilter(tx, scopeToSupplier(movesQuery(tx, embeds), supplierId), filter)
    applySort(tx, query, sort)
    query.limit(page.size, sized).offset(offset)
  }
  query.select(counted().as('total'))
  const rows = (await prepared(query, 'varies')) as Record<string, unknown>[]
  let total = Number(rows[0]?.total ?? 0)
  if (!rows.length && page.number > 1) total = Number(((await counted().first()) as { count: number }).count)
  return { rows: withEmbedded(rows, embeds, ['total']), total }
}

/** A move's place in creation order: its created_at as text (to the microsecond, which a Date would lose) and id. */
export type MoveKey = { created_at: string; id: string }

/**
 * The next `size` moves the client may see that match `filter` (the moves list's finder), oldest
 * created first, after `after`: one page of a keyset walk over the whole list, as the CSV export
 * makes. Each page is one short statement on the index (created_at, id), so a walk of any length holds
 * no connection between pages and never counts or skips rows.
 */
export async function moveKeysAfter(
  tx: Tx,
  filter: MoveFilter,
  supplierId: string | null,
  after: MoveKey | undefined,
  size: number,
): Promise<MoveKey[]> {
  const query = tx('moves as m')
    .leftJoin('profiles as mp', 'mp.id', 'm.profile_id')
    .select(tx.raw('m.created_at::text as created_at'), 'm.id')
  applyFilter(tx, scopeToSupplier(query, supplierId), filter)
  if (after) query.whereRaw('(m.created_at, m.id) > (?::timestamptz, ?)', [after.created_at, after.id])
  return query.orderBy([{ column: 'm.created_at' }, { column: 'm.id' }]).limit(size)
}

/** Which of these moves the client may see. */
export async function visibleMoveIds(tx: Tx, ids: string[], supplierId: string | null): Promise<Set<string>> {
  if (!supplierId || !ids.length) return new Set(ids)
  const rows = await scopeToSupplier(tx('moves as m').select('m.id'), supplierId).whereIn('m.id', ids)
  return new Set(rows.map((r: { id: string }) => r.id))
}

/**
 * A move the client may see; any other is "not found", as the reference answers. Prepared: every
 * transition, event and read of one move starts here.
 */
export async function findMove(tx: Tx, id: string, supplierId: string | null): Promise<MoveRow> {
  const row = (await prepared(scopeToSupplier(movesQuery(tx), supplierId).where('m.id', id), 'fixed').first()) as
    MoveRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Move with 'id'=${id}`)
  return row
}

/**
 * What a PATCH may change, as the contract declares it (openapi.yaml MoveUpdate). An absent member
 * (undefined) is left as it is; a null relationship id removes it.
 */
export type MoveUpdate = {
  date?: string
  time_due?: string | null
  additional_information?: string | null
  move_agreed?: boolean | null
  move_agreed_by?: string | null
  profileId?: string | null
  prisonTransferReasonId?: string | null
  /**
   * The status the client sent back. The reference's legacy PATCH turned a different status into a
   * transition (book-a-secure-move.md, "Legacy PATCH /moves/{id} with attributes.status"); we take only
   * the move's own status and refuse another with 422, so no change is dropped silently (issue #17, rule 5).
   */
  status?: string
}

async function requireRow<Row = { id: string }>(
  tx: Tx,
  table: string,
  id: string,
  name: string,
  label: string,
  columns: string[] = ['id'],
): Promise<Row> {
  const found = (await tx(table).where({ id }).first(columns)) as Row | undefined
  if (!found) {
    throw new DomainError('not_found', `Couldn't find ${label} with 'id'=${id}`, {
      subject: relationship(name),
    })
  }
  return found
}

/** A column's value as the timeline keeps it: timestamps in ISO 8601. */
const recorded = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null))

/**
 * Updates what a PATCH may change: the profile (assigning or removing the person moved), the
 * prison transfer reason, the date and a few descriptive attributes. It is the move machine's
 * `redate` when the date changes (only before the move is under way, and not before a planned
 * lodging) and `update` otherwise. The timeline records what changed: a new date as
 * MoveDateChanged (as the reference writes it), anything else as one MoveUpdate whose details
 * hold each changed attribute and its `old_` value (the shape of the reference's LodgingUpdate).
 * A PATCH that changes nothing records and notifies nothing.
 */
export async function updateMove(
  w: Write,
  id: string,
  update: MoveUpdate,
  client: { id: string; supplierId: string | null },
  now: Date,
): Promise<MoveRow> {
  const { tx } = w
  const move = await findMove(tx, id, client.supplierId)
  if (update.status !== undefined && update.status !== move.status) {
    throw new DomainError(
      'unprocessable_entity',
      `status can't be changed from ${move.status} by PATCH; send the move's event (approve, accept, start, complete, cancel or reject)`,
      { subject: attribute('status'), meta: { status: move.status } },
    )
  }
  const changes: Record<string, unknown> = {}
  for (const name of ['additional_information', 'move_agreed_by', 'move_agreed', 'time_due'] as const) {
    if (update[name] !== undefined) changes[name] = update[name]
  }
  const redated = update.date !== undefined && update.date !== move.date
  if (redated && move.allocation_id) {
    throw new DomainError(
      'unprocessable_entity',
      "Date can't be changed on a move of an allocation; change the allocation's date",
      {
        subject: attribute('date'),
      },
    )
  }

  const profileId = update.profileId
  const profile = profileId
    ? await requireRow<{ person_id: string }>(tx, 'profiles', profileId, 'profile', 'Profile', ['person_id'])
    : null
  if (profileId && profileId !== move.profile_id) {
    await authoriseProfileUse(tx, client, profileId)
    await refuseUnsupportedCategory(tx, profileId)
  }
  if (profileId !== undefined) {
    if (profileId === null && ['proposed', 'in_transit', 'completed'].includes(move.status)) {
      throw new DomainError('unprocessable_entity', `A ${move.status} move must have a profile`, {
        subject: relationship('profile'),
      })
    }
    changes.profile_id = profileId
  }
  const reasonId = update.prisonTransferReasonId
  if (reasonId) await requireRow(tx, 'prison_transfer_reasons', reasonId, 'prison_transfer_reason', 'Reason')
  if (reasonId !== undefined) changes.prison_transfer_reason_id = reasonId

  const details: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(changes)) {
    const old = recorded(move[name as keyof MoveRow])
    const next = name === 'time_due' && value !== null ? new Date(value as string).toISOString() : recorded(value)
    if (old === next) delete changes[name]
    else Object.assign(details, { [`old_${name}`]: old, [name]: next })
  }
  if (redated) changes.date = update.date
  if (!Object.keys(changes).length) return move

  const timeline: TimelineEntry[] = []
  if (redated) {
    timeline.push({
      event_type: 'MoveDateChanged',
      occurred_at: now,
      details: { previous_date: move.date, date: update.date, date_changed_reason: null },
    })
  }
  if (Object.keys(details).length) timeline.push({ event_type: 'MoveUpdate', occurred_at: now, details })
  const profileChanged = changes.profile_id !== undefined
  await transitionMoves(
    w,
    [move],
    {
      event: redated ? 'redate' : 'update',
      occurredAt: now,
      notes: null,
      changes,
      personId: profileChanged ? (profile?.person_id ?? null) : undefined,
      timeline: () => timeline,
    },
    client,
    now,
  )
  return findMove(tx, id, client.supplierId)
}

/**
 * One transition of one move, through the one transition function (lib/moves/moveChanged.ts):
 * the machine decides, a conditional UPDATE wins the race, and the move-changed step writes the
 * timeline event, carries out the consequences and notifies. Answers the move as it was before.
 */
export async function transitionMove(
  w: Write,
  input: {
    id: string
    event: MoveEventName
    occurredAt: Date
    notes: string | null
    /** Columns the event sets along with the status (a cancellation's reason). */
    changes?: Record<string, unknown>
    /** What the timeline keeps about the event beyond the status change. */
    details?: Record<string, unknown>
    /** The locations the timeline event names. */
    relationships?: MoveTransition['relationships']
    /** What a posted event adds to the timeline entry (POST /api/events). */
    record?: MoveTransition['record']
  },
  client: { id: string; supplierId: string | null },
  now: Date,
): Promise<MoveRow> {
  const { tx } = w
  const move = await findMove(tx, input.id, client.supplierId)
  const endedBecause =
    input.event === 'reject'
      ? 'The move was rejected'
      : input.event === 'complete'
        ? 'The move was completed'
        : 'The move was cancelled'
  await transitionMoves(w, [move], { ...input, endedBecause }, client, now)
  return move
}
