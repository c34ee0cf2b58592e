import type { Tx } from '../../db/client'
import { prepared, whereAnyValue } from '../../db/prepared'
import type { Write } from '../write'
import { decideMove, type MoveEffect, type MoveEvent, type MoveEventName, type MoveStatus } from '../../machines/move'
import { decideJourney } from '../../machines/journey'
import { confirmOnMoveStart } from '../assessments/assessments'
import { DomainError, attribute, relationship } from '../errors'
import { lockAllocation, refreshAllocation } from './allocationRefresh'
import { refuseDuplicateMove } from './duplicates'
import { cancelPlannedLodgings } from './lodgingCancellation'
import type { MoveRow } from './rows'
import { recordEvents, type EventRecord } from '../events/record'

type Client = { id: string; supplierId: string | null }

/**
 * One event on a move's timeline (recorded by lib/events/record.ts); `details` is what the event carries
 * beyond the status change, `eventable` what it is about when that is not the move (a journey, a
 * lodging), `relationships` the locations it names. The rest as lib/events/record.ts EventRecord says.
 */
export type TimelineEntry = {
  event_type: string
  occurred_at: Date
  from_status?: string | null
  to_status?: string | null
  notes?: string | null
  details?: Record<string, unknown>
  eventable?: EventRecord['eventable']
  relationships?: EventRecord['relationships']
  classification?: EventRecord['classification']
  /** When the client recorded it; the request's time when left out. */
  recorded_at?: Date
  /** The X-Current-User header of the request that posted it. */
  created_by?: string | null
}

/** The move as it was before the change: what the consequences compare against. */
export type MoveBefore = Pick<MoveRow, 'id' | 'status' | 'date' | 'date_from' | 'to_location_id' | 'allocation_id'>

/**
 * Everything one request did to one move: the timeline entries it writes and the effects the
 * machine declared for it (lodgings called off, journeys moved with the date, the allocation
 * refreshed, subscribers notified). `cause` is when and why, for the entries the effects write.
 */
export type MoveChange = {
  before: MoveBefore
  timeline: TimelineEntry[]
  effects: MoveEffect[]
  cause: { occurredAt: Date; notes: string | null; endedBecause?: string }
}

const has = (change: MoveChange, type: MoveEffect['type']) => change.effects.some(e => e.type === type)

/**
 * The one "move changed" step: every change to a move, whatever the route, ends here, in the
 * caller's transaction, after the move's row is written. It writes the timeline entries, then
 * carries out the effects in a fixed order: stays not begun are called off (LodgingCancel each),
 * a new date cancels the move's proposed journeys (JourneyCancel each, issue #13), the allocations are refreshed
 * once each, and the subscribers the change concerns are notified (lib/notifications/outbox.ts).
 */
export async function recordMoveChanges(w: Write, changes: MoveChange[], client: Client, now: Date): Promise<void> {
  const { tx } = w
  if (!changes.length) return
  await recordEvents(
    w,
    changes.flatMap(c =>
      c.timeline.map((t): EventRecord => ({
        eventType: t.event_type,
        moveId: c.before.id,
        eventable: t.eventable,
        occurredAt: t.occurred_at,
        recordedAt: t.recorded_at ?? now,
        fromStatus: t.from_status,
        toStatus: t.to_status,
        notes: t.notes,
        details: t.details,
        relationships: t.relationships,
        classification: t.classification,
        by: { clientId: client.id, supplierId: client.supplierId, createdBy: t.created_by },
      })),
    ),
  )

  for (const change of changes.filter(c => has(c, 'cancelPlannedLodgings'))) {
    await cancelPlannedLodgings(
      tx,
      [change.before.id],
      {
        occurredAt: change.cause.occurredAt,
        notes: change.cause.notes,
        reason: 'other',
        comment: change.cause.endedBecause ?? 'The move ended',
      },
      { clientId: client.id, supplierId: client.supplierId },
      now,
    )
  }

  const redated = changes.filter(c => has(c, 'cancelProposedJourneys'))
  if (redated.length) await cancelProposedJourneys(tx, redated, client, now)

  const allocations = new Set(
    changes.filter(c => has(c, 'refreshAllocation') && c.before.allocation_id).map(c => c.before.allocation_id!),
  )
  for (const id of [...allocations].sort()) await refreshAllocation(tx, id, now)

  for (const change of changes) {
    for (const effect of change.effects) {
      if (effect.type !== 'notify') continue
      const moveId = change.before.id
      if (effect.params.kind === 'redirect') {
        await w.outbox.notifyMoveRedirected(tx, { moveId, previousToLocationId: change.before.to_location_id, at: now })
      } else {
        await w.outbox.notifyMoveChanged(tx, { moveId, eventType: effect.params.kind, at: now })
      }
    }
  }
}

/**
 * A move's new date calls off its proposed journeys (issue #13, item 3): each runs the journey
 * machine's `move_redated` under a conditional UPDATE, and leaves a JourneyCancel entry on the move's
 * timeline saying why. Journeys under way or finished stay as they are.
 */
async function cancelProposedJourneys(tx: Tx, changes: MoveChange[], client: Client, now: Date): Promise<void> {
  const after = new Map(
    (
      (await tx('moves')
        .whereIn(
          'id',
          changes.map(c => c.before.id),
        )
        .select('id', tx.raw('date::text as date'))) as { id: string; date: string | null }[]
    ).map(m => [m.id, m.date]),
  )
  for (const change of changes) {
    const oldDate = change.before.date ?? change.before.date_from
    const newDate = after.get(change.before.id)
    if (!oldDate || !newDate || oldDate === newDate) continue
    const to = decideJourney('proposed', 'move_redated')!.status
    const cancelled = (await tx('journeys')
      .where({ move_id: change.before.id, state: 'proposed' })
      .update({ state: to, updated_at: now }, ['id'])) as { id: string }[]
    if (!cancelled.length) continue
    await recordEvents(
      { tx },
      cancelled.map(j => ({
        eventType: 'JourneyCancel',
        moveId: change.before.id,
        eventable: { type: 'journeys', id: j.id },
        occurredAt: change.cause.occurredAt,
        recordedAt: now,
        notes: 'The move changed date',
        by: { clientId: client.id, supplierId: client.supplierId },
        details: { journey_id: j.id, from_status: 'proposed', to_status: to, old_date: oldDate, date: newDate },
      })),
    )
  }
}

/** A timeline entry with what a posted event adds (MoveTransition `record`): its details and relationships merged over the entry's. */
export function withRecord(entry: TimelineEntry, record: Partial<TimelineEntry> | undefined): TimelineEntry {
  if (!record) return entry
  return {
    ...entry,
    ...record,
    details: { ...entry.details, ...record.details },
    relationships: { ...entry.relationships, ...record.relationships },
  }
}

const EVENT_TYPES: Record<MoveEventName, string> = {
  approve: 'MoveApprove',
  accept: 'MoveAccept',
  start: 'MoveStart',
  complete: 'MoveComplete',
  reject: 'MoveReject',
  cancel: 'MoveCancel',
  lockout: 'MoveLockout',
  redirect: 'MoveRedirect',
  redate: 'MoveDateChanged',
  update: 'MoveUpdate',
  plan_lodging: 'LodgingCreate',
}

/**
 * One event run through the move machine for one move or many. `changes` are the columns the event
 * sets with the status (a cancellation's reason, a new date); `personId`, when the event gives the
 * move another person, is whom the duplicate check looks for. `timeline` replaces the default entry
 * (the event's type and `details`); every entry records the status the move left and reached.
 */
export type MoveTransition = {
  event: MoveEventName
  occurredAt: Date
  notes: string | null
  changes?: Record<string, unknown>
  details?: Record<string, unknown>
  /** The locations the default entry names (a lockout's from_location, a redirect's to_location). */
  relationships?: TimelineEntry['relationships']
  personId?: string | null
  timeline?: (move: MoveRow, from: MoveStatus, to: MoveStatus) => TimelineEntry[]
  /** The comment on stays called off because this event ends the move. */
  endedBecause?: string
  /**
   * What a posted event (POST /api/events) adds to the default entry: its own type, details (merged
   * over the default's), relationships, recorded_at and created_by.
   */
  record?: Partial<TimelineEntry>
}

type Facts = {
  startedLodging: Map<string, string>
  earliestPlannedLodging: Map<string, { id: string; start_date: string }>
}

/** The events whose guards read the move's stays (loadFacts). */
const LODGING_GUARDED: ReadonlySet<MoveEventName> = new Set(['complete', 'redate', 'approve'])

/** No stay started or planned: what the guards assume until the stays are read. */
const noFacts = (): Facts => ({ startedLodging: new Map(), earliestPlannedLodging: new Map() })

/** What the guards need to know about other records, loaded for every move at once. */
async function loadFacts(tx: Tx, moveIds: string[], event: MoveEventName): Promise<Facts> {
  const facts = noFacts()
  if (event === 'complete') {
    const rows = (await tx('lodgings')
      .whereIn('move_id', moveIds)
      .where({ status: 'started' })
      .select('move_id', 'id')) as { move_id: string; id: string }[]
    for (const row of rows) facts.startedLodging.set(row.move_id, row.id)
  }
  if (event === 'redate' || event === 'approve') {
    const rows = (await tx('lodgings')
      .whereIn('move_id', moveIds)
      .where({ status: 'proposed' })
      .orderBy([{ column: 'move_id' }, { column: 'start_date' }, { column: 'id' }])
      .select('move_id', 'id', tx.raw('start_date::text as start_date'))) as {
      move_id: string
      id: string
      start_date: string
    }[]
    for (const row of rows) {
      if (!facts.earliestPlannedLodging.has(row.move_id)) facts.earliestPlannedLodging.set(row.move_id, row)
    }
  }
  return facts
}

function eventFor(move: MoveRow, input: MoveTransition, facts: Facts): MoveEvent {
  if (input.event === 'complete')
    return { type: 'complete', startedLodgingId: facts.startedLodging.get(move.id) ?? null }
  if (input.event === 'redate' || input.event === 'approve') {
    return {
      type: input.event,
      date: String(input.changes?.date ?? move.date),
      earliestPlannedLodging: facts.earliestPlannedLodging.get(move.id) ?? null,
    }
  }
  return { type: input.event }
}

function refusal(move: MoveRow, event: MoveEvent, reason: string): DomainError {
  const status = move.status
  if (reason === 'lodged' && event.type === 'complete') {
    return new DomainError(
      'invalid_transition',
      `The person is still at lodging ${event.startedLodgingId}; complete the lodging before the move`,
      { meta: { status, event: event.type, lodging_id: event.startedLodgingId } },
    )
  }
  if (reason === 'lodging_before_date' && 'earliestPlannedLodging' in event && event.earliestPlannedLodging) {
    const lodging = event.earliestPlannedLodging
    return new DomainError(
      'unprocessable_entity',
      `The move's lodging ${lodging.id} starts on ${lodging.start_date}, before ${event.date}; change or cancel the lodging first`,
      { subject: attribute('date'), meta: { lodging_id: lodging.id } },
    )
  }
  return new DomainError('invalid_transition', `A move that is ${status} cannot be sent ${event.type}`, {
    meta: { status, event: event.type },
  })
}

/**
 * The one transition function, for one move or many (an allocation's). For each move the machine
 * decides from its status and the facts its guards read; with `many`, a move whose status does not
 * take the event is left as it is (an allocation's completed moves are not redated), but a guard's
 * refusal still refuses the whole request. A new date or person is checked for duplicates as a new
 * move would be (the person's lock first, then the allocation's: the order every path keeps). The
 * conditional UPDATE (still in the status the machine decided from?) decides who wins a race.
 * Answers the moves changed, as they were before.
 */
export async function transitionMoves(
  w: Write,
  moves: MoveRow[],
  input: MoveTransition,
  client: Client,
  now: Date,
  options: { many?: boolean } = {},
): Promise<MoveRow[]> {
  const { tx } = w
  if (!moves.length) return []
  const newDate = input.changes?.date as string | undefined
  const checksDuplicates = newDate !== undefined || input.personId !== undefined
  // The stays that count are those read again under the UPDATE's row locks (below). Read before it as
  // well only when the duplicate check comes in between, so that a stay's refusal still comes first; a
  // complete, the hot path, reads them once.
  const facts = checksDuplicates
    ? await loadFacts(
        tx,
        moves.map(m => m.id),
        input.event,
      )
    : noFacts()
  const decided: { move: MoveRow; to: MoveStatus; effects: MoveEffect[] }[] = []
  for (const move of moves) {
    const event = eventFor(move, input, facts)
    const decision = decideMove(move.status as MoveStatus, event)
    if (decision.allowed) decided.push({ move, to: decision.status, effects: decision.effects })
    else if (!options.many || decision.refusal !== 'not_allowed') throw refusal(move, event, decision.refusal)
  }

  if (checksDuplicates) {
    for (const { move, to } of decided) {
      const personId = input.personId === undefined ? move.person_id : input.personId
      const date = newDate ?? move.date
      if (to === 'cancelled' || to === 'proposed' || !personId || !date) continue
      await refuseDuplicateMove(
        tx,
        {
          personId,
          from: move.from_location_id,
          to: move.to_location_id,
          date,
          exceptId: move.id,
          // The seed walkthrough fills both places of one allocation with profiles of G8133UA.
          exceptAllocationId: move.allocation_id,
        },
        input.personId !== undefined ? relationship('profile') : attribute('date'),
      )
    }
  }

  for (const id of [...new Set(decided.map(d => d.move.allocation_id).filter(Boolean))].sort()) {
    await lockAllocation(tx, id)
  }
  const won = new Set<string>()
  const groups = new Map<string, typeof decided>()
  for (const d of decided) groups.set(d.move.status, [...(groups.get(d.move.status) ?? []), d])
  for (const [from, group] of groups) {
    // Prepared, the ids as one array so that one text serves a move and a bulk change of many.
    const updated = (await whereAnyValue(
      prepared(tx('moves'), 'fixed'),
      'id',
      group.map(d => d.move.id),
    )
      .where({ status: from })
      .update({ ...input.changes, status: group[0]!.to, updated_at: now }, ['id'])) as { id: string }[]
    for (const row of updated) won.add(row.id)
  }
  const lost = decided.find(d => !won.has(d.move.id))
  if (lost && !options.many) {
    // Another request moved it first: this one acted on a status that is gone, whatever the new one allows.
    const current = await tx('moves').where({ id: lost.move.id }).first('status')
    const status = String(current?.status ?? lost.move.status)
    throw new DomainError(
      'invalid_transition',
      `The move became ${status} while this ${input.event} was being applied; nothing was changed`,
      { meta: { status, event: input.event } },
    )
  }

  const changed = decided.filter(d => won.has(d.move.id))
  // The guards read the stays before the UPDATE took the moves' row locks, under which stays are
  // planned and started (lib/moves/lodgings lockMove); a stay committed in between slipped past them
  // (a stay before the new date, a move completed with its person still lodged). Read again under
  // the locks, before anything else is written, and refuse as the machine would have.
  if (changed.length && LODGING_GUARDED.has(input.event)) {
    const current = await loadFacts(
      tx,
      changed.map(d => d.move.id),
      input.event,
    )
    for (const { move } of changed) {
      const event = eventFor(move, input, current)
      const decision = decideMove(move.status as MoveStatus, event)
      if (!decision.allowed) throw refusal(move, event, decision.refusal)
    }
  }
  await recordMoveChanges(
    w,
    changed.map(({ move, to, effects }) => ({
      before: move,
      timeline: input.timeline
        ? input
            .timeline(move, move.status as MoveStatus, to)
            .map(entry => ({ from_status: move.status, to_status: to, ...entry }))
        : [
            withRecord(
              {
                event_type: EVENT_TYPES[input.event],
                occurred_at: input.occurredAt,
                from_status: move.status,
                to_status: to,
                notes: input.notes,
                details: input.details,
                relationships: input.relationships,
              },
              input.record,
            ),
          ],
      effects,
      cause: { occurredAt: input.occurredAt, notes: input.notes, endedBecause: input.endedBecause },
    })),
    client,
    now,
  )
  // A move under way takes its person's completed escort record with it: confirmed (issue #15, reference §2.5).
  if (input.event === 'start') {
    await confirmOnMoveStart(
      w,
      changed.map(d => d.move.id),
      client,
      now,
    )
  }
  return changed.map(d => d.move)
}
