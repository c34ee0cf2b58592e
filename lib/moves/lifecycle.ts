import type { Tx } from '../../db/client'
import { authoriseProfileUse } from '../auth/writeScope'
import type { Write } from '../write'
import { DomainError, type ErrorSubject, attribute, relationship } from '../errors'
import { addDays } from '../calendar'
import { chooseSupplier, insertMoves } from './allocations'
import { refuseDuplicateMove } from './duplicates'
import { recordEvent } from '../events/record'
import { findMove, MOVE_TYPES, transitionMove } from './moves'
import type { MoveRow } from './rows'

type MoveType = (typeof MOVE_TYPES)[number]
type Problem = { detail: string; subject: ErrorSubject }
type Location = { id: string; location_type: string; extradition_capable: boolean; disabled_at: Date | null }
type Client = { id: string; supplierId: string | null }

const DETAINED = ['prison', 'secure_training_centre', 'secure_childrens_home']
const attr = (name: string) => attribute(name)
const rel = (name: string) => relationship(name)

/** The location a relationship names, or 404 pointing at that relationship. */
export async function loadLocation(tx: Tx, id: string, name: string): Promise<Location> {
  const row = (await tx('locations')
    .where({ id })
    .first('id', 'location_type', 'extradition_capable', 'disabled_at')) as Location | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Location with 'id'=${id}`, { subject: rel(name) })
  return row
}

/** The reference's location rules per move type (`Moves::MoveTypeValidator`), and to ≠ from. */
function locationProblems(
  moveType: MoveType,
  from: Location,
  to: Location | null,
  options: { lockout: boolean; toName?: string } = { lockout: false },
): Problem[] {
  const toName = options.toName ?? 'to_location'
  const problems: Problem[] = []
  const fail = (name: string, detail: string) => problems.push({ detail, subject: rel(name) })
  if (from.disabled_at) fail('from_location', 'from_location is no longer active')
  if (to?.disabled_at) fail(toName, `${toName} is no longer active`)
  if (to && to.id === from.id && !options.lockout) fail(toName, `${toName} must differ from from_location`)
  const toType = to?.location_type
  switch (moveType) {
    case 'court_appearance':
      if (to && toType !== 'court') fail(toName, `${toName} must be a court for a court_appearance`)
      break
    case 'court_other':
      if (to && DETAINED.includes(toType!)) fail(toName, `${toName} must not be a detained estate for court_other`)
      break
    case 'hospital':
      if (to && toType !== 'hospital' && toType !== 'high_security_hospital') {
        fail(toName, `${toName} must be a hospital for a hospital move`)
      }
      break
    case 'police_transfer':
      if (from.location_type !== 'police') fail('from_location', 'from_location must be police for a police_transfer')
      if (to && toType !== 'police') fail(toName, `${toName} must be police for a police_transfer`)
      break
    case 'prison_recall':
    case 'video_remand':
      if (from.location_type !== 'police') fail('from_location', `from_location must be police for a ${moveType}`)
      break
    case 'prison_remand':
      if (to && !DETAINED.includes(toType!)) fail(toName, `${toName} must be a detained estate for a prison_remand`)
      break
    case 'prison_transfer':
      if (!DETAINED.includes(from.location_type)) {
        fail('from_location', 'from_location must be a detained estate for a prison_transfer')
      }
      break
    case 'extradition':
      if (to && !to.extradition_capable) fail(toName, `${toName} must be extradition capable`)
      break
    case 'approved_premises':
      break
  }
  return problems
}

/**
 * A new move, as the contract declares its body (openapi.yaml MoveCreate, which also holds the rules
 * that depend only on the body: date when requested, date_from and a profile when proposed,
 * to_location except for prison_recall and video_remand).
 */
export type MoveCreateInput = {
  move_type: MoveType
  status: 'proposed' | 'requested'
  date: string | null
  date_from: string | null
  date_to: string | null
  time_due: string | null
  additional_information: string | null
  move_agreed: boolean | null
  move_agreed_by: string | null
  fromLocationId: string
  toLocationId: string | null
  profileId: string | null
  prisonTransferReasonId: string | null
}

/**
 * Creates a proposed (date_from, optional date_to) or requested (date) move with its
 * MoveProposed or MoveRequested event. The supplier is the client's own, or the one serving the
 * from-location on the date.
 */
export async function createMove(w: Write, input: MoveCreateInput, client: Client, now: Date): Promise<MoveRow> {
  const { tx } = w
  const { status, move_type: moveType, fromLocationId: fromId, toLocationId: toId, profileId } = input
  const reasonId = input.prisonTransferReasonId
  // Two members compared, which the contract's JSON Schema cannot say.
  if (input.date_from && input.date_to && input.date_to < input.date_from) {
    throw new DomainError('unprocessable_entity', 'date_to must not be before date_from', { subject: attr('date_to') })
  }
  const from = await loadLocation(tx, fromId, 'from_location')
  const to = toId ? await loadLocation(tx, toId, 'to_location') : null
  const locationErrors = locationProblems(moveType, from, to)
  if (locationErrors.length) throw DomainError.many('unprocessable_entity', locationErrors)
  let personId: string | null = null
  if (profileId) {
    const profile = await tx('profiles').where({ id: profileId }).first('person_id')
    if (!profile)
      throw new DomainError('not_found', `Couldn't find Profile with 'id'=${profileId}`, { subject: rel('profile') })
    personId = profile.person_id as string
    await authoriseProfileUse(tx, client, profileId)
  }
  if (reasonId) {
    const reason = await tx('prison_transfer_reasons').where({ id: reasonId }).first('id')
    if (!reason) {
      throw new DomainError('not_found', `Couldn't find Reason with 'id'=${reasonId}`, {
        subject: rel('prison_transfer_reason'),
      })
    }
  }

  const date = input.date
  if (personId && date && status === 'requested') {
    await refuseDuplicateMove(tx, { personId, from: from.id, to: to?.id ?? null, date }, attr('date'))
  }

  const id = crypto.randomUUID()
  await insertMoves(tx, [
    {
      id,
      status,
      move_type: moveType,
      date,
      date_from: input.date_from,
      date_to: input.date_to,
      time_due: input.time_due,
      from_location_id: from.id,
      to_location_id: to?.id ?? null,
      supplier_id: client.supplierId ?? (await chooseSupplier(tx, from.id, (date ?? input.date_from)!)),
      profile_id: profileId,
      prison_transfer_reason_id: reasonId,
      additional_information: input.additional_information,
      move_agreed: input.move_agreed,
      move_agreed_by: input.move_agreed_by,
      created_at: now,
      updated_at: now,
    },
  ])
  await recordEvent(w, {
    eventType: status === 'proposed' ? 'MoveProposed' : 'MoveRequested',
    moveId: id,
    occurredAt: now,
    recordedAt: now,
    toStatus: status,
    by: { clientId: client.id, supplierId: client.supplierId },
  })
  // A proposed move notifies nobody (notifyMoveChanged skips it); a requested one is news to its supplier.
  await w.outbox.notifyMoveChanged(tx, { moveId: id, eventType: 'create_move', at: now })
  return findMove(tx, id, null)
}

type EventInput = { id: string; occurredAt: Date; notes: string | null }

/**
 * Approve: a proposed move becomes requested on the date given. The date is checked as a new
 * move's would be (no duplicate of a live move) and against the move's planned stays; a date other
 * than the one proposed cancels the move's proposed journeys.
 */
export async function approveMove(w: Write, input: EventInput & { date: string }, client: Client, now: Date) {
  const { tx } = w
  await transitionMove(
    w,
    { ...input, event: 'approve', changes: { date: input.date }, details: { date: input.date } },
    client,
    now,
  )
  return findMove(tx, input.id, client.supplierId)
}

/**
 * Reject: the move ends cancelled with reason `rejected`. With `rebook`, a new proposed move for
 * the same person and route, a week later, points back to it through original_move.
 */
export async function rejectMove(
  w: Write,
  input: EventInput & { reason: string; comment: string | null; rebook: boolean },
  client: Client,
  now: Date,
): Promise<{ move: MoveRow; rebooked: MoveRow | null }> {
  const { tx } = w
  const move = await transitionMove(
    w,
    {
      ...input,
      event: 'reject',
      changes: {
        cancellation_reason: 'rejected',
        cancellation_reason_comment: input.comment,
        rejection_reason: input.reason,
      },
      details: { rejection_reason: input.reason, rebook: input.rebook },
    },
    client,
    now,
  )
  let rebooked: MoveRow | null = null
  if (input.rebook) {
    const id = crypto.randomUUID()
    const shift = (date: string | null) => (date ? addDays(date, 7) : null)
    const dateFrom = shift(move.date_from ?? move.date)
    await insertMoves(tx, [
      {
        id,
        status: 'proposed',
        move_type: move.move_type,
        date: null,
        date_from: dateFrom,
        date_to: shift(move.date_to),
        from_location_id: move.from_location_id,
        to_location_id: move.to_location_id,
        supplier_id: move.supplier_id,
        profile_id: move.profile_id,
        prison_transfer_reason_id: move.prison_transfer_reason_id,
        original_move_id: move.id,
        additional_information: move.additional_information,
        created_at: now,
        updated_at: now,
      },
    ])
    await recordEvent(w, {
      eventType: 'MoveProposed',
      moveId: id,
      occurredAt: input.occurredAt,
      recordedAt: now,
      toStatus: 'proposed',
      by: { clientId: client.id, supplierId: client.supplierId },
      details: { original_move_id: move.id },
    })
    rebooked = await findMove(tx, id, null)
  }
  return { move: await findMove(tx, input.id, null), rebooked }
}

/** Lockout: the person could not be delivered and is held elsewhere; the move is marked is_lockout. */
export async function lockoutMove(
  w: Write,
  input: EventInput & { reason: string; fromLocationId: string | null },
  client: Client,
  now: Date,
): Promise<MoveRow> {
  const { tx } = w
  if (input.fromLocationId) await loadLocation(tx, input.fromLocationId, 'from_location')
  await transitionMove(
    w,
    {
      ...input,
      event: 'lockout',
      changes: { is_lockout: true },
      details: { reason: input.reason },
      relationships: { from_location: input.fromLocationId },
    },
    client,
    now,
  )
  return findMove(tx, input.id, client.supplierId)
}

/**
 * Redirect: a new destination (and optionally move type), checked against the same location rules
 * as a new move. The result names the suppliers serving the old and the new destination, the
 * ones whose view of the move changes.
 */
export async function redirectMove(
  w: Write,
  input: EventInput & { reason: string | null; toLocationId: string; moveType: MoveType | null },
  client: Client,
  now: Date,
): Promise<{ move: MoveRow; previousSupplierId: string | null; newSupplierId: string | null }> {
  const { tx } = w
  const move = await findMove(tx, input.id, client.supplierId)
  const from = await loadLocation(tx, move.from_location_id, 'from_location')
  const to = await loadLocation(tx, input.toLocationId, 'to_location')
  const moveType = input.moveType ?? (move.move_type as MoveType)
  const problems = locationProblems(moveType, from, to, { lockout: move.is_lockout })
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  const date = move.date ?? move.date_from
  const previousSupplierId = move.to_location_id && date ? await chooseSupplier(tx, move.to_location_id, date) : null
  await transitionMove(
    w,
    {
      ...input,
      event: 'redirect',
      changes: { to_location_id: to.id, move_type: moveType },
      details: { reason: input.reason, from_to_location_id: move.to_location_id, move_type: moveType },
      relationships: { to_location: to.id },
    },
    client,
    now,
  )
  const newSupplierId = date ? await chooseSupplier(tx, to.id, date) : null
  return { move: await findMove(tx, input.id, null), previousSupplierId, newSupplierId }
}
