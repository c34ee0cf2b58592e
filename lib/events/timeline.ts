import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { groupIds } from '../moves/rows'

/** The classes whose events are always important (the reference's Move#important_events). */
export const IMPORTANT_CLASSIFICATIONS = ['medical', 'incident', 'suicide_and_self_harm'] as const

/** The default-class types that are important too: handovers, property changes, and overnight stays begun and ended. */
export const IMPORTANT_EVENT_TYPES = ['PerHandover', 'PerPropertyChange', 'MoveLodgingStart', 'MoveLodgingEnd'] as const

type Linked = { parent_id: string; id: string; occurred_at: Date; seq: number }

const ORDER = [{ column: 'occurred_at' }, { column: 'seq' }]

/**
 * Each move's timeline, for every move at once (one statement, whatever their number): the events of
 * the move, of its journeys, lodgings and person escort record (all of which belong to the move), and
 * of its person (who may have several moves), in the order they happened. Answers move id -> event ids.
 */
export async function timelineEventIds(tx: Tx, moveIds: string[]): Promise<Map<string, string[]>> {
  if (!moveIds.length) return new Map()
  const own = tx('move_events as e')
    .whereIn('e.move_id', moveIds)
    .select('e.move_id as parent_id', tx.raw('e.id::text as id'), 'e.occurred_at', 'e.id as seq')
  const person = tx('moves as m')
    .join('profiles as p', 'p.id', 'm.profile_id')
    .join('move_events as e', function (this: Knex.JoinClause) {
      this.on('e.eventable_id', 'p.person_id').andOnVal('e.eventable_type', 'people')
    })
    .whereIn('m.id', moveIds)
    .whereRaw('e.move_id is distinct from m.id')
    .select('m.id as parent_id', tx.raw('e.id::text as id'), 'e.occurred_at', 'e.id as seq')
  const rows = (await tx.select('parent_id', 'id').from(own.unionAll(person, true).as('t')).orderBy(ORDER)) as Linked[]
  return groupIds(rows)
}

/**
 * Each move's important events, for every move at once: the events of the move or its person escort
 * record (not its journeys, lodgings or person) that are medical, incidents or self-harm, or one of
 * IMPORTANT_EVENT_TYPES, in the order they happened (the reference does not sort them; we do).
 */
export async function importantEventIds(tx: Tx, moveIds: string[]): Promise<Map<string, string[]>> {
  if (!moveIds.length) return new Map()
  const rows = (await tx('move_events')
    .whereIn('move_id', moveIds)
    .whereIn('eventable_type', ['moves', 'person_escort_records'])
    .where(q => q.whereIn('classification', IMPORTANT_CLASSIFICATIONS).orWhereIn('event_type', IMPORTANT_EVENT_TYPES))
    .orderBy([{ column: 'occurred_at' }, { column: 'id' }])
    .select('move_id as parent_id', tx.raw('id::text as id'))) as Linked[]
  return groupIds(rows)
}
