import type { Tx } from '../../db/client'
import { assessmentInScope } from '../assessments/scope'
import { authoriseWrite } from '../auth/writeScope'
import { londonDate } from '../clock'
import { DomainError, attribute, relationship, type Problem } from '../errors'
import { findJourney, transitionJourney } from '../moves/journeys'
import { approveMove, lockoutMove, redirectMove, rejectMove } from '../moves/lifecycle'
import { transitionLodging } from '../moves/lodgings'
import type { TimelineEntry } from '../moves/moveChanged'
import { findMove, transitionMove, MOVE_TYPES } from '../moves/moves'
import type { Write } from '../write'
import {
  eventTypeSpec,
  type EventableType,
  type EventRelationshipName,
  type EventTypeSpec,
  type EventMember,
} from './catalogue'
import { EVENT_RELATIONSHIPS, recordEvent, type EventRelationship } from './record'

/** Who posts: the API client, its supplier (null: the frontend), and the X-Current-User header. */
export type Poster = { id: string; supplierId: string | null; currentUser: string | null }

/**
 * An event as POST /api/events carries it (openapi.yaml `createEvent`): the type, when it happened and
 * was recorded, notes, details as sent (members the type does not keep are dropped), the eventable, and
 * the other relationships by name (id, or null for an explicit `data: null`).
 */
export type PostedEvent = {
  eventType: string
  occurredAt: Date
  recordedAt: Date
  notes: string | null
  details: Record<string, unknown>
  eventable: { type: string; id: string }
  relationships: Record<string, string | null>
}

/** What was posted, as stored: the event's id, and what the type does not keep (the answer's `meta`). */
export type PostedEventResult = {
  id: string
  moveId: string | null
  ignored: { details: string[]; relationships: string[] }
}

const detail = (name: string) => attribute('details', name)
const EVENTABLE = relationship('eventable')

function unprocessable(problems: Problem[]): DomainError {
  return DomainError.many('unprocessable_entity', problems)
}

/** The move (and for a journey the journey) an eventable names, checked against the poster's write scope. */
async function resolveEventable(
  tx: Tx,
  eventable: { type: EventableType; id: string },
  poster: Poster,
): Promise<{ moveId: string | null; journeyState?: string }> {
  const asMove = async (moveId: string) => {
    await authoriseWrite(tx, poster, { resource: 'move', id: moveId })
    await findMove(tx, moveId, poster.supplierId)
    return moveId
  }
  switch (eventable.type) {
    case 'moves':
      return { moveId: await asMove(eventable.id) }
    case 'journeys': {
      const journeyNotFound = () => new DomainError('not_found', `Couldn't find Journey with 'id'=${eventable.id}`)
      const row = (await tx('journeys').where({ id: eventable.id }).first('move_id')) as { move_id: string } | undefined
      if (!row) throw journeyNotFound()
      // A move the supplier cannot see is not there for it: the refusal names the journey asked about, not the move.
      await asMove(row.move_id).catch(err => {
        throw err instanceof DomainError && err.code === 'not_found' ? journeyNotFound() : err
      })
      // A supplier sees only the journeys it drives.
      const journey = await findJourney(tx, row.move_id, eventable.id, poster)
      return { moveId: row.move_id, journeyState: journey.state }
    }
    case 'person_escort_records': {
      const row = (await tx('assessments')
        .where({ id: eventable.id, kind: 'person_escort_record' })
        .first('move_id')) as { move_id: string | null } | undefined
      if (!row) throw new DomainError('not_found', `Couldn't find PersonEscortRecord with 'id'=${eventable.id}`)
      if (!row.move_id) {
        throw unprocessable([{ detail: 'The person escort record belongs to no move', subject: EVENTABLE }])
      }
      // A PER is seen only by the supplier of its move (lib/assessments/scope.ts): one that only sees the
      // move, or not even that, is answered 404 as reading the record would be (issue #15), never 403.
      if (!(await assessmentInScope(tx, poster.supplierId, eventable.id, 'person_escort_record'))) {
        throw new DomainError('not_found', `Couldn't find PersonEscortRecord with 'id'=${eventable.id}`)
      }
      return { moveId: await asMove(row.move_id) }
    }
    case 'people': {
      if (!(await tx('people').where({ id: eventable.id }).first('id'))) {
        throw new DomainError('not_found', `Couldn't find Person with 'id'=${eventable.id}`)
      }
      await authoriseWrite(tx, poster, { resource: 'person', id: eventable.id })
      return { moveId: null }
    }
    case 'lodgings':
      throw unprocessable([{ detail: 'Lodgings take no posted events', subject: EVENTABLE }])
  }
}

const present = (value: unknown) => value !== undefined && value !== null && value !== ''

/** The type's own rules beyond the contract's shapes: required members, pairs, supplier-only requirements. */
function memberProblems(
  spec: EventTypeSpec,
  details: Record<string, unknown>,
  relationships: Partial<Record<string, string | null>>,
  poster: Poster,
): Problem[] {
  const problems: Problem[] = []
  for (const d of spec.details) {
    const needed = d.required || (d.requiredFromSuppliers && poster.supplierId !== null)
    if (needed && !present(details[d.name])) {
      problems.push({ detail: `details.${d.name} is required for ${spec.eventType}`, subject: detail(d.name) })
    }
  }
  for (const r of spec.relationships) {
    if (r.required && !relationships[r.name]) {
      problems.push({ detail: `${r.name} is required for ${spec.eventType}`, subject: relationship(r.name) })
    }
  }
  const given = (m: EventMember) =>
    'detail' in m ? present(details[m.detail]) : Boolean(relationships[m.relationship])
  const subject = (m: EventMember) => ('detail' in m ? detail(m.detail) : relationship(m.relationship))
  for (const rule of spec.rules ?? []) {
    if (rule.rule === 'exactlyOne') {
      const [first, second] = rule.members
      if (present(details[first]) && present(details[second])) {
        problems.push({ detail: `give details.${first} or details.${second}, not both`, subject: detail(second) })
      } else if (!present(details[first]) && !present(details[second])) {
        problems.push({ detail: `details.${first} or details.${second} is required`, subject: detail(first) })
      }
    } else if (!rule.members.some(given)) {
      const names = rule.members.map(m => ('detail' in m ? `details.${m.detail}` : m.relationship)).join(' or ')
      problems.push({ detail: `${names} is required for ${spec.eventType}`, subject: subject(rule.members[0]!) })
    }
  }
  return problems
}

/** The locations and moves the relationships name must exist: 422 at the relationship otherwise. */
async function referenceProblems(
  tx: Tx,
  spec: EventTypeSpec,
  ids: Partial<Record<string, string>>,
): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const r of spec.relationships) {
    const id = ids[r.name]
    if (!id) continue
    const table = r.type === 'locations' ? 'locations' : 'moves'
    if (!(await tx(table).where({ id }).first('id'))) {
      const label = r.type === 'locations' ? 'Location' : 'Move'
      problems.push({ detail: `Couldn't find ${label} with 'id'=${id}`, subject: relationship(r.name) })
    }
  }
  return problems
}

/**
 * Records an event posted to POST /api/events (issue #14), in the caller's transaction:
 * 1. the type must be one of the catalogue's and not written by the server alone (422 at
 *    `event_type`), about an eventable the type takes (422 at `eventable`);
 * 2. the eventable must exist and be the poster's to write: another supplier's move (or journey, PER,
 *    person) is 404 as a read would be, one the supplier only sees is 403 (lib/auth/writeScope.ts);
 * 3. details are cut down to the type's members (the others are answered in `ignored`), required
 *    members, pairs and the supplier-only `fault_classification` are checked, and the named locations
 *    and moves must exist (422 with the pointer);
 * 4. a type that changes state goes through its machine (lib/moves: one transition function), which
 *    refuses with 409 invalid_transition and nothing stored; attributes it sets are set;
 * 5. the event is stored through lib/events/record.ts, stamped with the poster's supplier and
 *    X-Current-User; a post by the frontend (no supplier) tells the move's suppliers (`create_event`).
 */
export async function postEvent(w: Write, input: PostedEvent, poster: Poster, now: Date): Promise<PostedEventResult> {
  const { tx } = w
  const spec = eventTypeSpec(input.eventType)
  if (!spec || spec.serverWrittenOnly) {
    const why = spec ? 'is written by the server alone' : 'is not an event type'
    throw unprocessable([{ detail: `${input.eventType} ${why}`, subject: attribute('event_type') }])
  }
  const eventableType = input.eventable.type as EventableType
  if (!spec.eventables.includes(eventableType)) {
    throw unprocessable([
      {
        detail: `${spec.eventType} is about ${spec.eventables.join(' or ')}, not ${input.eventable.type}`,
        subject: EVENTABLE,
      },
    ])
  }
  const eventable = { type: eventableType, id: input.eventable.id }
  const { moveId } = await resolveEventable(tx, eventable, poster)

  const kept = new Set(spec.details.map(d => d.name))
  const details = Object.fromEntries(Object.entries(input.details).filter(([name]) => kept.has(name)))
  const declared = new Set<string>(spec.relationships.map(r => r.name))
  const ids: Partial<Record<EventRelationshipName, string>> = {}
  for (const [name, id] of Object.entries(input.relationships)) {
    if (declared.has(name) && id) ids[name as EventRelationshipName] = id
  }
  const ignored = {
    details: Object.keys(input.details).filter(name => !kept.has(name)),
    relationships: Object.keys(input.relationships).filter(name => !declared.has(name)),
  }
  const problems = memberProblems(spec, details, ids, poster)
  if (problems.length) throw unprocessable(problems)
  if (spec.eventType === 'MoveCrossSupplierPickUp' && !ids.previous_move && details.previous_move_reference) {
    const previous = await tx('moves').where({ reference: details.previous_move_reference }).first('id')
    if (!previous) {
      throw unprocessable([
        {
          detail: `Couldn't find Move with reference ${String(details.previous_move_reference)}`,
          subject: detail('previous_move_reference'),
        },
      ])
    }
    ids.previous_move = previous.id as string
  }
  const referenceErrors = await referenceProblems(tx, spec, ids)
  if (referenceErrors.length) throw unprocessable(referenceErrors)

  const eventType = spec.storedAs ?? spec.eventType
  const relationships = Object.fromEntries(
    EVENT_RELATIONSHIPS.filter(name => ids[name]).map(name => [name, ids[name]!]),
  ) as Partial<Record<EventRelationship, string>>
  const record: Partial<TimelineEntry> = {
    event_type: eventType,
    notes: input.notes,
    details,
    relationships,
    eventable,
    recorded_at: input.recordedAt,
    created_by: poster.currentUser,
    classification: spec.classification,
  }
  let id: string
  if (spec.machine) {
    await applyMachine(
      w,
      spec,
      { moveId: moveId!, eventable, occurredAt: input.occurredAt, notes: input.notes, details, ids, record },
      poster,
      now,
    )
    // The machine recorded it, under the move's row lock: the newest of its type is ours.
    id = (
      (await tx('move_events')
        .where({ eventable_type: eventable.type, eventable_id: eventable.id, event_type: eventType })
        .orderBy('id', 'desc')
        .first(tx.raw('id::text as id'))) as { id: string }
    ).id
  } else {
    id = await recordEvent(w, {
      eventType,
      moveId,
      eventable,
      occurredAt: input.occurredAt,
      recordedAt: input.recordedAt,
      notes: input.notes,
      details,
      relationships,
      classification: spec.classification,
      by: { clientId: poster.id, supplierId: poster.supplierId, createdBy: poster.currentUser },
    })
  }
  if (spec.sets?.some(s => s.startsWith('journey.'))) await setJourneyVehicle(tx, eventable.id, details, now)
  if (!poster.supplierId && moveId) await w.outbox.notifyEventCreated(tx, { moveId, at: now })
  return { id, moveId, ignored }
}

type Applied = {
  moveId: string
  eventable: { type: EventableType; id: string }
  occurredAt: Date
  notes: string | null
  details: Record<string, unknown>
  ids: Partial<Record<EventRelationshipName, string>>
  record: Partial<TimelineEntry>
}

/** A state-changing type through its machine, by the use case our own route for it uses. */
async function applyMachine(w: Write, spec: EventTypeSpec, a: Applied, poster: Poster, now: Date): Promise<void> {
  const client = { id: poster.id, supplierId: poster.supplierId }
  const base = { id: a.moveId, occurredAt: a.occurredAt, notes: a.notes, record: a.record }
  const step = spec.machine!
  if (step.machine === 'journey') {
    await transitionJourney(
      w,
      {
        moveId: a.moveId,
        id: a.eventable.id,
        event: step.event,
        occurredAt: a.occurredAt,
        notes: a.notes,
        record: a.record,
      },
      client,
      now,
    )
    return
  }
  if (step.machine === 'lodging') {
    const lodging = await matchingLodging(w.tx, a.moveId, a.ids.location!, step.event, a.occurredAt)
    await transitionLodging(
      w,
      {
        moveId: a.moveId,
        id: lodging,
        event: step.event as 'start' | 'complete',
        occurredAt: a.occurredAt,
        notes: a.notes,
        reason: typeof a.details.reason === 'string' ? a.details.reason : null,
        record: a.record,
      },
      client,
      now,
    )
    return
  }
  const d = a.details
  switch (step.event) {
    case 'approve':
      await approveMove(w, { ...base, date: String(d.date) }, client, now)
      return
    case 'reject':
      await rejectMove(
        w,
        {
          ...base,
          reason: String(d.rejection_reason),
          comment: (d.cancellation_reason_comment as string) ?? null,
          rebook: d.rebook === true,
        },
        client,
        now,
      )
      return
    case 'lockout':
      await lockoutMove(
        w,
        { ...base, reason: (d.reason as string) ?? null, fromLocationId: a.ids.from_location ?? null },
        client,
        now,
      )
      return
    case 'redirect':
      await redirectMove(
        w,
        {
          ...base,
          reason: (d.reason as string) ?? null,
          toLocationId: a.ids.to_location!,
          moveType: (d.move_type as (typeof MOVE_TYPES)[number]) ?? null,
        },
        client,
        now,
      )
      return
    case 'cancel':
      await transitionMove(
        w,
        {
          ...base,
          event: 'cancel',
          changes: {
            cancellation_reason: d.cancellation_reason,
            cancellation_reason_comment: (d.cancellation_reason_comment as string) ?? null,
          },
        },
        client,
        now,
      )
      return
    default:
      await transitionMove(w, { ...base, event: step.event }, client, now)
  }
}

/**
 * The stay a MoveLodgingStart or MoveLodgingEnd is about: the move's stay at the event's location,
 * planned to begin on the London date the event happened (start), or the one the person is at (end).
 * None is 409 invalid_transition: the lodging machine has no stay to start or end.
 */
async function matchingLodging(tx: Tx, moveId: string, locationId: string, event: string, at: Date): Promise<string> {
  const query = tx('lodgings').where({ move_id: moveId, location_id: locationId })
  if (event === 'start') query.where({ start_date: londonDate(at) }).whereNot({ status: 'cancelled' })
  else query.where({ status: 'started' })
  const row = (await query.orderBy('start_date').first('id')) as { id: string } | undefined
  if (!row) {
    const what = event === 'start' ? `planned to begin on ${londonDate(at)}` : 'under way'
    throw new DomainError('invalid_transition', `The move has no stay at this location ${what}`, {
      meta: { status: null, event },
    })
  }
  return row.id
}

/** JourneyStart, JourneyComplete and JourneyChangeVehicle set the journey's vehicle registration (and depot). */
async function setJourneyVehicle(
  tx: Tx,
  journeyId: string,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const set: Record<string, string> = {}
  if (present(details.vehicle_reg)) set.registration = String(details.vehicle_reg)
  if (present(details.vehicle_depot)) set.depot = String(details.vehicle_depot)
  if (!Object.keys(set).length) return
  await tx('journeys')
    .where({ id: journeyId })
    .update({ vehicle: tx.raw(`coalesce(vehicle, '{}'::jsonb) || ?::jsonb`, [JSON.stringify(set)]), updated_at: now })
}
