import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { addDays, daysBetween } from '../calendar'
import { decideLodging, type LodgingEvent, type LodgingEventName, type LodgingState } from '../../machines/lodging'
import { decideMove, type MoveEffect, type MoveStatus } from '../../machines/move'
import { DomainError, type ErrorSubject, attribute, relationship } from '../errors'
import { cancelPlannedLodgings } from './lodgingCancellation'
import { loadLocation } from './lifecycle'
import { recordMoveChanges } from './moveChanged'
import { findMove } from './moves'
import { groupIds, type MoveRow } from './rows'

export type LodgingRow = {
  id: string
  move_id: string
  location_id: string
  start_date: string
  end_date: string
  status: LodgingState
  cancellation_reason: string | null
  cancellation_reason_comment: string | null
  created_at: Date
  updated_at: Date
}

type Client = { id: string; supplierId: string | null }

function lodgingsQuery(tx: Tx) {
  return tx('lodgings').select(
    'id',
    'move_id',
    'location_id',
    tx.raw('start_date::text as start_date'),
    tx.raw('end_date::text as end_date'),
    'status',
    'cancellation_reason',
    'cancellation_reason_comment',
    'created_at',
    'updated_at',
  )
}

export async function loadLodgings(tx: Tx, ids: string[]): Promise<LodgingRow[]> {
  return lodgingsQuery(tx).whereIn('id', ids)
}

/** Each move's live stays (planned, under way or finished), earliest first. */
export async function lodgingIdsByMove(tx: Tx, moveIds: string[]): Promise<Map<string, string[]>> {
  return groupIds(
    await tx('lodgings')
      .whereIn('move_id', moveIds)
      .whereNot({ status: 'cancelled' })
      .orderBy([{ column: 'start_date' }, { column: 'id' }])
      .select('move_id as parent_id', 'id'),
  )
}

/** The stays still planned or under way on a move the client may see, earliest first. */
export async function listLodgings(tx: Tx, moveId: string, client: Client): Promise<LodgingRow[]> {
  await findMove(tx, moveId, client.supplierId)
  return lodgingsQuery(tx)
    .where({ move_id: moveId })
    .whereNot({ status: 'cancelled' })
    .orderBy([{ column: 'start_date' }, { column: 'id' }])
}

/** A lodging of a move the caller has already found (and so may see). */
async function lodgingOf(tx: Tx, moveId: string, id: string): Promise<LodgingRow> {
  const row = (await lodgingsQuery(tx).where({ move_id: moveId, id }).first()) as LodgingRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Lodging with 'id'=${id}`)
  return row
}

export async function findLodging(tx: Tx, moveId: string, id: string, client: Client): Promise<LodgingRow> {
  await findMove(tx, moveId, client.supplierId)
  return lodgingOf(tx, moveId, id)
}

/**
 * A lodging's input, as openapi.yaml's LodgingCreate and LodgingUpdate declare it (the edge has
 * checked the shapes: dates are real calendar dates); `undefined` leaves a member as it is.
 */
export type LodgingInput = { startDate?: string; endDate?: string; locationId?: string }

async function requireActiveLocation(tx: Tx, id: string): Promise<void> {
  const location = await loadLocation(tx, id, 'location')
  if (location.disabled_at) {
    throw new DomainError('unprocessable_entity', 'location is no longer active', {
      subject: relationship('location'),
    })
  }
}

/**
 * The move, locked for the rest of the transaction: every lodging write of one move takes this
 * lock before it checks for overlaps, so two concurrent writes cannot both book the same nights.
 * The move is read once the lock is held, so that its date and status are those a concurrent
 * change (a redate, a completion: lib/moves/moveChanged) committed while this one waited.
 */
async function lockMove(tx: Tx, moveId: string, client: Client): Promise<MoveRow> {
  await tx('moves').where({ id: moveId }).forUpdate().first('id')
  return findMove(tx, moveId, client.supplierId)
}

/**
 * The move machine's `plan_lodging`: stays are planned or changed only on a move still to happen.
 * Answers the effects it declares for the move (its subscribers are told).
 */
function planLodging(move: MoveRow, action: string): MoveEffect[] {
  const decision = decideMove(move.status as MoveStatus, { type: 'plan_lodging' })
  if (!decision.allowed) {
    throw new DomainError('invalid_transition', `A move that is ${move.status} cannot ${action}`, {
      meta: { status: move.status },
    })
  }
  return decision.effects
}

/**
 * The lodging machine's decision on `event`: the next state and the effects it declares for the move
 * (notifyMove: its subscribers are told, as update_move), or 409 with the lodging's status (and the
 * move's, when it barred the event).
 */
function decide(
  lodging: LodgingRow,
  event: LodgingEvent,
  move: MoveRow,
): { status: LodgingState; effects: MoveEffect[] } {
  const decision = decideLodging(lodging.status, event)
  if (decision.allowed) {
    const notify = decision.effects.some(e => e.type === 'notifyMove')
    return { status: decision.status, effects: notify ? [{ type: 'notify', params: { kind: 'update_move' } }] : [] }
  }
  if (decision.refusal === 'move_not_in_transit') {
    throw new DomainError(
      'invalid_transition',
      `A lodging can only start while its move is in_transit; the move is ${move.status}`,
      { meta: { status: lodging.status, move_status: move.status, event: event.type } },
    )
  }
  const detail =
    event.type === 'relocate' && lodging.status === 'started'
      ? 'The person is already at the lodging; its location cannot change'
      : event.type === 'relocate' || event.type === 'reschedule'
        ? `A lodging that is ${lodging.status} cannot be changed`
        : `A lodging that is ${lodging.status} cannot be sent ${event.type}`
  throw new DomainError('invalid_transition', detail, {
    subject: event.type === 'relocate' ? relationship('location') : undefined,
    meta: { status: lodging.status, event: event.type },
  })
}

/** Another live stay of the move sharing a night with [start, end), if there is one. */
async function overlapping(tx: Tx, moveId: string, start: string, end: string, exceptId?: string) {
  const query = tx('lodgings')
    .where({ move_id: moveId })
    .whereNot({ status: 'cancelled' })
    .where('start_date', '<', end)
    .where('end_date', '>', start)
  if (exceptId) query.whereNot({ id: exceptId })
  return (await query.first('id'))?.id as string | undefined
}

/** Any live stay of the move sharing a night with another, after a change that moved several. */
async function anyOverlap(tx: Tx, moveId: string): Promise<string | undefined> {
  const row = await tx('lodgings as a')
    .join('lodgings as b', function () {
      this.on('b.move_id', 'a.move_id')
        .andOn('b.id', '<>', 'a.id')
        .andOn('b.start_date', '<', 'a.end_date')
        .andOn('b.end_date', '>', 'a.start_date')
    })
    .where('a.move_id', moveId)
    .whereNot('a.status', 'cancelled')
    .whereNot('b.status', 'cancelled')
    .first('b.id')
  return row?.id as string | undefined
}

function refuseOverlap(existingId: string, subject: ErrorSubject): DomainError {
  return new DomainError('taken', 'The move already has a lodging on one of these nights', {
    subject,
    meta: { existing_id: existingId },
  })
}

/**
 * A stay's change is a change to its move: its timeline entry and notifications go through the
 * move-changed step. The stay's own events (Lodging*) are about the lodging, MoveLodgingStart and
 * MoveLodgingEnd about the move, as in the reference; `details.location_id` is kept as the location.
 */
async function lodgingChanged(
  w: Write,
  move: MoveRow,
  effects: MoveEffect[],
  lodging: Pick<LodgingRow, 'id'>,
  eventType: string,
  input: { occurredAt: Date; notes?: string | null },
  client: Client,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const { location_id, ...rest } = details
  await recordMoveChanges(
    w,
    [
      {
        before: move,
        timeline: [
          {
            event_type: eventType,
            occurred_at: input.occurredAt,
            notes: input.notes ?? null,
            eventable: eventType.startsWith('Lodging') ? { type: 'lodgings', id: lodging.id } : undefined,
            relationships: location_id ? { location: String(location_id) } : undefined,
            details: { lodging_id: lodging.id, ...rest },
          },
        ],
        effects,
        cause: { occurredAt: input.occurredAt, notes: input.notes ?? null },
      },
    ],
    client,
    now,
  )
}

/**
 * Plans an overnight stay on a live move: not before the move's date, at an active location,
 * sharing no night with another live stay of the move.
 */
export async function createLodging(
  w: Write,
  moveId: string,
  input: Required<LodgingInput>,
  client: Client,
  now: Date,
): Promise<LodgingRow> {
  const { tx } = w
  if (input.endDate <= input.startDate) {
    throw new DomainError('unprocessable_entity', 'end_date must be after start_date', {
      subject: attribute('end_date'),
    })
  }
  const move = await lockMove(tx, moveId, client)
  const effects = planLodging(move, 'take a new lodging')
  await requireActiveLocation(tx, input.locationId)
  const moveDate = move.date ?? move.date_from
  if (moveDate && input.startDate < moveDate) {
    throw new DomainError('unprocessable_entity', `start_date must not be before the move's date, ${moveDate}`, {
      subject: attribute('start_date'),
    })
  }
  const existing = await overlapping(tx, moveId, input.startDate, input.endDate)
  if (existing) throw refuseOverlap(existing, attribute('start_date'))
  const id = crypto.randomUUID()
  await tx('lodgings').insert({
    id,
    move_id: moveId,
    location_id: input.locationId,
    start_date: input.startDate,
    end_date: input.endDate,
    status: 'proposed',
    created_at: now,
    updated_at: now,
  })
  await recordMoveChanges(
    w,
    [
      {
        before: move,
        timeline: [
          {
            event_type: 'LodgingCreate',
            occurred_at: now,
            eventable: { type: 'lodgings', id },
            relationships: { location: input.locationId },
            details: {
              lodging_id: id,
              start_date: input.startDate,
              end_date: input.endDate,
              to_status: 'proposed',
            },
          },
        ],
        effects,
        cause: { occurredAt: now, notes: null },
      },
    ],
    client,
    now,
  )
  return lodgingOf(tx, moveId, id)
}

/**
 * Changes a stay's end date or location. As in the reference, lengthening or shortening a stay
 * moves the later planned stays of the move by as many days, so the itinerary stays connected.
 * A stay under way may only change its end date; a finished or cancelled one is settled.
 */
export async function updateLodging(
  w: Write,
  moveId: string,
  id: string,
  input: LodgingInput,
  client: Client,
  now: Date,
): Promise<LodgingRow> {
  const { tx } = w
  const move = await lockMove(tx, moveId, client)
  const lodging = await lodgingOf(tx, moveId, id)
  const { effects } = decide(lodging, { type: 'reschedule' }, move)
  planLodging(move, 'change its lodgings')
  const details: Record<string, unknown> = {}
  const changes: Record<string, unknown> = {}
  if (input.locationId !== undefined && input.locationId !== lodging.location_id) {
    decide(lodging, { type: 'relocate' }, move)
    await requireActiveLocation(tx, input.locationId)
    Object.assign(details, { old_location_id: lodging.location_id, location_id: input.locationId })
    changes.location_id = input.locationId
  }
  if (input.endDate !== undefined && input.endDate !== lodging.end_date) {
    if (input.endDate <= lodging.start_date) {
      throw new DomainError('unprocessable_entity', 'end_date must be after start_date', {
        subject: attribute('end_date'),
      })
    }
    Object.assign(details, { old_end_date: lodging.end_date, end_date: input.endDate })
    changes.end_date = input.endDate
  }
  if (!Object.keys(changes).length) return lodging

  if (changes.end_date) {
    const shift = daysBetween(lodging.end_date, input.endDate!)
    const later = (await lodgingsQuery(tx)
      .where({ move_id: moveId, status: 'proposed' })
      .where('start_date', '>', lodging.start_date)
      .whereNot({ id })) as LodgingRow[]
    // Shifted one by one, furthest first when moving later (nearest first when earlier), so the
    // unique (move, dates) index never sees two stays on the same dates mid-way.
    later.sort((a, b) =>
      shift > 0 ? b.start_date.localeCompare(a.start_date) : a.start_date.localeCompare(b.start_date),
    )
    for (const other of later) {
      await tx('lodgings')
        .where({ id: other.id })
        .update({
          start_date: addDays(other.start_date, shift),
          end_date: addDays(other.end_date, shift),
          updated_at: now,
        })
    }
    if (later.length) details.shifted_lodging_ids = later.map(l => l.id)
  }
  await tx('lodgings')
    .where({ id })
    .update({ ...changes, updated_at: now })
  const clash = await anyOverlap(tx, moveId)
  if (clash) throw refuseOverlap(clash, attribute('end_date'))
  await lodgingChanged(w, move, effects, lodging, 'LodgingUpdate', { occurredAt: now }, client, details, now)
  return lodgingOf(tx, moveId, id)
}

const EVENT_TYPES: Record<Exclude<LodgingEventName, 'relocate' | 'reschedule'>, string> = {
  start: 'MoveLodgingStart',
  complete: 'MoveLodgingEnd',
  cancel: 'LodgingCancel',
}

/**
 * One lodging event through the lodging machine, on the move's timeline. The person can only
 * arrive at a lodging while the move is under way; leaving is always possible, so a stay is never
 * stranded by the move being cancelled meanwhile.
 */
export async function transitionLodging(
  w: Write,
  input: {
    moveId: string
    id: string
    event: keyof typeof EVENT_TYPES
    occurredAt: Date
    notes: string | null
    cancellation?: { reason: string; comment: string | null }
    reason?: string | null
  },
  client: Client,
  now: Date,
): Promise<LodgingRow> {
  const { tx } = w
  const move = await lockMove(tx, input.moveId, client)
  const lodging = await lodgingOf(tx, input.moveId, input.id)
  const { status: to, effects } = decide(
    lodging,
    input.event === 'start' ? { type: 'start', moveStatus: move.status } : { type: input.event },
    move,
  )
  const changes: Record<string, unknown> = { status: to, updated_at: now }
  if (input.cancellation) {
    changes.cancellation_reason = input.cancellation.reason
    changes.cancellation_reason_comment = input.cancellation.comment
  }
  // Every lodging write holds the move's row lock, so this cannot lose a race; the status condition
  // keeps it a compare-and-set all the same.
  const updated = await tx('lodgings').where({ id: input.id, status: lodging.status }).update(changes, ['id'])
  if (updated.length !== 1) {
    throw new DomainError('invalid_transition', `The lodging changed while this ${input.event} was being applied`, {
      meta: { status: lodging.status, event: input.event },
    })
  }
  await lodgingChanged(
    w,
    move,
    effects,
    lodging,
    EVENT_TYPES[input.event],
    input,
    client,
    {
      location_id: lodging.location_id,
      start_date: lodging.start_date,
      end_date: lodging.end_date,
      from_status: lodging.status,
      to_status: to,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.cancellation
        ? {
            cancellation_reason: input.cancellation.reason,
            cancellation_reason_comment: input.cancellation.comment,
          }
        : {}),
    },
    now,
  )
  return lodgingOf(tx, input.moveId, input.id)
}

/** Calls off every stay of the move that has not begun; the ones under way or finished stay as they are. */
export async function cancelAllLodgings(
  w: Write,
  moveId: string,
  input: { occurredAt: Date; notes: string | null; cancellation: { reason: string; comment: string | null } },
  client: Client,
  now: Date,
): Promise<number> {
  const { tx } = w
  const move = await lockMove(tx, moveId, client)
  const cancelled = await cancelPlannedLodgings(
    tx,
    [moveId],
    { occurredAt: input.occurredAt, notes: input.notes, ...input.cancellation },
    { clientId: client.id, supplierId: client.supplierId },
    now,
  )
  if (cancelled.length) {
    const cause = { occurredAt: input.occurredAt, notes: input.notes }
    const effects: MoveEffect[] = [{ type: 'notify', params: { kind: 'update_move' } }]
    await recordMoveChanges(w, [{ before: move, timeline: [], effects, cause }], client, now)
  }
  return cancelled.length
}
