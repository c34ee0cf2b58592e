import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { groupIds } from '../moves/rows'
import { EVENT_TYPES, IMPORTANT_CLASSIFICATIONS } from './catalogue'

/** The types important whatever their classification: handovers, property changes, stays begun and ended. */
const IMPORTANT_EVENT_TYPES = EVENT_TYPES.filter(
  spec => spec.important && !IMPORTANT_CLASSIFICATIONS.includes(spec.classification),
).map(spec => spec.eventType)

type Linked = { parent_id: string; id: string; occurred_at: Date; seq: number }

const ORDER = [{ column: 'occurred_at' }, { column: 'seq' }]

/**
 * Leaves out, for a supplier, the events of person escort records of moves it does not supply: such a
 * record is not there for it (lib/assessments/scope.ts), nor what was posted about it. A record's events
 * carry its move. `events` reads `move_events as e`.
 */
function scopeRecordEvents(query: Knex.QueryBuilder, supplierId: string | null): Knex.QueryBuilder {
  if (!supplierId) return query
  return query.where(q =>
    q.whereNot('e.eventable_type', 'person_escort_records').orWhereExists(function (this: Knex.QueryBuilder) {
      this.select(1).from('moves as em').whereRaw('em.id = e.move_id').where('em.supplier_id', supplierId)
    }),
  )
}

/**
 * Each move's timeline, for every move at once (one statement, whatever their number): the events of
 * the move, of its journeys, lodgings and person escort record (all of which belong to the move), and
 * of its person (who may have several moves), in the order they happened, as `supplierId` may see them
 * (null: every one). Answers move id -> event ids.
 */
export async function timelineEventIds(
  tx: Tx,
  moveIds: string[],
  supplierId: string | null,
): Promise<Map<string, string[]>> {
  if (!moveIds.length) return new Map()
  const own = scopeRecordEvents(tx('move_events as e'), supplierId)
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
 * the types the catalogue marks important, in the order they happened (the reference does not sort them; we do).
 */
export async function importantEventIds(
  tx: Tx,
  moveIds: string[],
  supplierId: string | null,
): Promise<Map<string, string[]>> {
  if (!moveIds.length) return new Map()
  const rows = (await scopeRecordEvents(tx('move_events as e'), supplierId)
    .whereIn('e.move_id', moveIds)
    .whereIn('e.eventable_type', ['moves', 'person_escort_records'])
    .where(q =>
      q.whereIn('e.classification', IMPORTANT_CLASSIFICATIONS).orWhereIn('e.event_type', IMPORTANT_EVENT_TYPES),
    )
    .orderBy([{ column: 'e.occurred_at' }, { column: 'e.id' }])
    .select('e.move_id as parent_id', tx.raw('e.id::text as id'))) as Linked[]
  return groupIds(rows)
}
