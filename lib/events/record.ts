import type { Tx } from '../../db/client'
import { prepared } from '../../db/prepared'
import { eventTypeSpec, type EventClassification, type EventableType } from './catalogue'

/**
 * The relationships an event may name besides its eventable, each kept in its own foreign-key column
 * (`<name>_id`): the four locations are `locations`, previous_move is a `moves` row. (LodgingUpdate's
 * old_location, which only the server writes, stays in its details.)
 */
export const EVENT_RELATIONSHIPS = [
  'location',
  'from_location',
  'to_location',
  'court_location',
  'previous_move',
] as const
export type EventRelationship = (typeof EVENT_RELATIONSHIPS)[number]

/** Who recorded an event: the API client, its supplier (stamped from the token), and the X-Current-User header. */
export type Recorder = { clientId: string | null; supplierId?: string | null; createdBy?: string | null }

/**
 * One event to record.
 * - `moveId`: the move it belongs to (its timeline and its suppliers' scope); null only for an event
 *   about a person.
 * - `eventable`: what it is about; the move itself when left out.
 * - `occurredAt`: when it happened; `recordedAt`: when the client recorded it (the server's own events
 *   pass the request's time).
 * - `fromStatus` / `toStatus`: the move's status before and after, for events that changed it.
 * - `details`: what the type carries beyond its relationships (plain JSON).
 * - `relationships`: location and move ids by relationship name (foreign keys: an id that names no row
 *   fails the insert, so callers check them first to answer 422 with a pointer).
 * - `classification`: the type's class; by default the catalogue's (lib/events/catalogue.ts), else `default`
 *   (our own types, such as MoveUpdate).
 */
export type EventRecord = {
  eventType: string
  moveId: string | null
  eventable?: { type: EventableType; id: string }
  occurredAt: Date
  recordedAt: Date
  notes?: string | null
  details?: Record<string, unknown>
  relationships?: Partial<Record<EventRelationship, string | null>>
  classification?: EventClassification
  fromStatus?: string | null
  toStatus?: string | null
  by: Recorder
}

/**
 * Records events in the generic event log (the `move_events` table, see the migration
 * 20261202000000_generic_event_log), in the caller's transaction: the one way every writer of events
 * (our routes, the machines' consequences, POST /api/events, the PER's assessments) stores them, so
 * that each row has its eventable, move, classification, recorder and relationships. It validates
 * nothing: callers decide legality (machines) and check references beforehand. Answers the new events'
 * ids (as text, JSON:API ids), in the order given. Throws the database's error on a broken reference.
 */
export async function recordEvents(w: { tx: Tx }, events: EventRecord[]): Promise<string[]> {
  if (!events.length) return []
  const rows = events.map(e => {
    if (!e.moveId && e.eventable?.type !== 'people') throw new Error(`${e.eventType} belongs to no move`)
    const relationships = Object.fromEntries(
      EVENT_RELATIONSHIPS.map(name => [`${name}_id`, e.relationships?.[name] ?? null]),
    )
    return {
      move_id: e.moveId,
      eventable_type: e.eventable?.type ?? 'moves',
      eventable_id: e.eventable?.id ?? e.moveId,
      event_type: e.eventType,
      classification: e.classification ?? eventTypeSpec(e.eventType)?.classification ?? 'default',
      occurred_at: e.occurredAt,
      recorded_at: e.recordedAt,
      notes: e.notes ?? null,
      details: JSON.stringify(e.details ?? {}),
      from_status: e.fromStatus ?? null,
      to_status: e.toStatus ?? null,
      api_client_id: e.by.clientId,
      supplier_id: e.by.supplierId ?? null,
      created_by: e.by.createdBy ?? null,
      ...relationships,
    }
  })
  const insert = w.tx('move_events').insert(rows, ['id'])
  // The text names every row's values: only the one event of most changes is prepared, so that bulk
  // changes of any size do not each take one of the process's prepared statements.
  const inserted = (await (rows.length === 1 ? prepared(insert, 'fixed') : insert)) as { id: number | string }[]
  return inserted.map(r => String(r.id))
}

/** Records one event (see recordEvents); answers its id. */
export async function recordEvent(w: { tx: Tx }, event: EventRecord): Promise<string> {
  return (await recordEvents(w, [event]))[0]!
}
