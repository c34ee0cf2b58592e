import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { decideJourney, type JourneyEventName, type JourneyState } from '../../machines/journey'
import { londonDate } from '../clock'
import { DomainError, member } from '../errors'
import { loadLocation } from './lifecycle'
import { recordMoveChanges, type TimelineEntry } from './moveChanged'
import { findMove } from './moves'
import type { MoveRow } from './rows'

export type JourneyRow = {
  id: string
  move_id: string
  supplier_id: string
  from_location_id: string
  to_location_id: string
  state: JourneyState
  /** The day the leg is driven, YYYY-MM-DD. */
  date: string
  /** The journey's place among its move's journeys: 1 for the first made. */
  number: number
  billable: boolean
  vehicle: { id?: string; registration?: string } | null
  client_timestamp: Date
  created_at: Date
  updated_at: Date
}

type Client = { id: string; supplierId: string | null }

/**
 * The move a journey write works on, read under the move's row lock, which a move change (a redate
 * cancelling proposed journeys, a completion) also takes: a journey written beside such a change
 * sees the move as that change committed it, never as it was before. Throws not_found as findMove.
 */
async function lockedMove(tx: Tx, moveId: string, client: Client) {
  await tx('moves').where({ id: moveId }).forUpdate().first('id')
  return findMove(tx, moveId, client.supplierId)
}

/**
 * A journey's change is a change to its move: its timeline entry goes through the move-changed
 * step, which tells the move's subscribers (update_move) unless `notify` is false (the journey
 * machine declares it for each transition; a new or changed journey always tells them).
 */
async function journeyChanged(
  w: Write,
  move: MoveRow,
  entry: TimelineEntry,
  client: Client,
  now: Date,
  notify = true,
): Promise<void> {
  await recordMoveChanges(
    w,
    [
      {
        before: move,
        timeline: [entry],
        effects: notify ? [{ type: 'notify', params: { kind: 'update_move' } }] : [],
        cause: { occurredAt: entry.occurred_at, notes: entry.notes ?? null },
      },
    ],
    client,
    now,
  )
}

/** A supplier sees only the journeys it drives, on moves it may see; the frontend sees all. */
function journeysOf(tx: Tx, moveId: string, client: Client) {
  // The date as text: pg and PGlite would otherwise disagree (Date vs string).
  const query = tx('journeys')
    .select(
      'id',
      'move_id',
      'supplier_id',
      'from_location_id',
      'to_location_id',
      'state',
      tx.raw('date::text as date'),
      'number',
      'billable',
      'vehicle',
      'client_timestamp',
      'created_at',
      'updated_at',
    )
    .where({ move_id: moveId })
  if (client.supplierId) query.where({ supplier_id: client.supplierId })
  return query
}

export async function listJourneys(tx: Tx, moveId: string, client: Client): Promise<JourneyRow[]> {
  await findMove(tx, moveId, client.supplierId)
  return journeysOf(tx, moveId, client).orderBy([{ column: 'client_timestamp' }, { column: 'id' }])
}

export async function findJourney(tx: Tx, moveId: string, id: string, client: Client): Promise<JourneyRow> {
  await findMove(tx, moveId, client.supplierId)
  const row = (await journeysOf(tx, moveId, client).where({ id }).first()) as JourneyRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Journey with 'id'=${id}`)
  return row
}

/**
 * A journey's input, as openapi.yaml's JourneyCreate and JourneyUpdate declare it (the edge has
 * checked the shapes): `undefined` leaves a member as it is.
 */
export type JourneyInput = {
  timestamp?: Date
  date?: string
  billable?: boolean
  vehicle?: JourneyRow['vehicle']
  fromLocationId?: string
  toLocationId?: string
}

async function requireLocations(tx: Tx, input: JourneyInput): Promise<void> {
  for (const [name, id] of [
    ['from_location', input.fromLocationId],
    ['to_location', input.toLocationId],
  ] as const) {
    if (id !== undefined) await loadLocation(tx, id, name)
  }
}

/**
 * A new proposed journey, driven by the client's supplier (the frontend's: the move's supplier). Its
 * date is the one sent, else the move's (as the reference does), else the London date of its timestamp;
 * its number is the next of its move's, counted under the move's row lock so that two journeys made at
 * once do not share one.
 */
export async function createJourney(
  w: Write,
  moveId: string,
  input: JourneyInput,
  client: Client,
  now: Date,
): Promise<JourneyRow> {
  const { tx } = w
  const move = await lockedMove(tx, moveId, client)
  await requireLocations(tx, input)
  const supplierId = client.supplierId ?? move.supplier_id
  if (!supplierId) {
    throw new DomainError('unprocessable_entity', 'The move has no supplier to drive the journey', {
      subject: member('data'),
    })
  }
  const last = (await tx('journeys').where({ move_id: moveId }).max('number as number').first()) as
    { number: number | null } | undefined
  const id = crypto.randomUUID()
  await tx('journeys').insert({
    id,
    move_id: moveId,
    supplier_id: supplierId,
    from_location_id: input.fromLocationId,
    to_location_id: input.toLocationId,
    state: 'proposed',
    date: input.date ?? move.date ?? londonDate(input.timestamp ?? now),
    number: Number(last?.number ?? 0) + 1,
    billable: input.billable ?? false,
    vehicle: input.vehicle === undefined || input.vehicle === null ? null : JSON.stringify(input.vehicle),
    client_timestamp: input.timestamp,
    created_at: now,
    updated_at: now,
  })
  await journeyChanged(
    w,
    move,
    {
      event_type: 'JourneyCreate',
      occurred_at: input.timestamp ?? now,
      eventable: { type: 'journeys', id },
      details: { journey_id: id, to_status: 'proposed' },
    },
    client,
    now,
  )
  return findJourney(tx, moveId, id, client)
}

/**
 * Changes billable, vehicle, the date or the timestamp; the locations and number of a journey are
 * fixed once made. A change is recorded as JourneyUpdate (as the reference writes on journey PATCH),
 * its details holding each changed member and its `old_` value; a PATCH that changes nothing records
 * and notifies nothing.
 */
export async function updateJourney(
  w: Write,
  moveId: string,
  id: string,
  input: JourneyInput,
  client: Client,
  now: Date,
): Promise<JourneyRow> {
  const { tx } = w
  const move = await lockedMove(tx, moveId, client)
  const journey = await findJourney(tx, moveId, id, client)
  if (input.fromLocationId !== undefined || input.toLocationId !== undefined) {
    throw new DomainError('unprocessable_entity', "A journey's locations cannot be changed", {
      subject: member('data', 'relationships'),
    })
  }
  const changes: Record<string, unknown> = {}
  const details: Record<string, unknown> = { journey_id: id }
  const change = (column: string, name: string, old: unknown, next: unknown, stored: unknown = next) => {
    if (JSON.stringify(old) === JSON.stringify(next)) return
    changes[column] = stored
    Object.assign(details, { [`old_${name}`]: old, [name]: next })
  }
  if (input.date !== undefined) change('date', 'date', journey.date, input.date)
  if (input.billable !== undefined) change('billable', 'billable', journey.billable, input.billable)
  if (input.vehicle !== undefined) {
    change(
      'vehicle',
      'vehicle',
      journey.vehicle,
      input.vehicle,
      input.vehicle === null ? null : JSON.stringify(input.vehicle),
    )
  }
  if (input.timestamp !== undefined) {
    change(
      'client_timestamp',
      'timestamp',
      journey.client_timestamp.toISOString(),
      input.timestamp.toISOString(),
      input.timestamp,
    )
  }
  if (!Object.keys(changes).length) return journey
  await tx('journeys')
    .where({ id })
    .update({ ...changes, updated_at: now })
  await journeyChanged(
    w,
    move,
    { event_type: 'JourneyUpdate', occurred_at: now, eventable: { type: 'journeys', id }, details },
    client,
    now,
  )
  return findJourney(tx, moveId, id, client)
}

const EVENT_TYPES: Record<JourneyEventName, string> = {
  start: 'JourneyStart',
  reject: 'JourneyReject',
  complete: 'JourneyComplete',
  uncomplete: 'JourneyUncomplete',
  cancel: 'JourneyCancel',
  uncancel: 'JourneyUncancel',
  lockout: 'JourneyLockout',
  lodging: 'JourneyLodging',
}

/** One journey event through the journey machine, guarded by a conditional UPDATE, on the move's timeline. */
export async function transitionJourney(
  w: Write,
  input: { moveId: string; id: string; event: JourneyEventName; occurredAt: Date; notes: string | null },
  client: Client,
  now: Date,
): Promise<JourneyRow> {
  const { tx } = w
  const move = await lockedMove(tx, input.moveId, client)
  const journey = await findJourney(tx, input.moveId, input.id, client)
  const refuse = (status: string) =>
    new DomainError('invalid_transition', `A journey that is ${status} cannot be sent ${input.event}`, {
      meta: { status, event: input.event },
    })
  const decision = decideJourney(journey.state, input.event)
  if (!decision) throw refuse(journey.state)
  const to = decision.status
  const updated = await tx('journeys')
    .where({ id: input.id, state: journey.state })
    .update({ state: to, updated_at: now }, ['id'])
  if (updated.length !== 1) {
    const current = await tx('journeys').where({ id: input.id }).first('state')
    throw refuse(String(current?.state ?? journey.state))
  }
  await journeyChanged(
    w,
    move,
    {
      event_type: EVENT_TYPES[input.event],
      occurred_at: input.occurredAt,
      notes: input.notes,
      eventable: { type: 'journeys', id: input.id },
      details: { journey_id: input.id, from_status: journey.state, to_status: to },
    },
    client,
    now,
    decision.effects.some(e => e.type === 'notifyMove'),
  )
  return findJourney(tx, input.moveId, input.id, client)
}
