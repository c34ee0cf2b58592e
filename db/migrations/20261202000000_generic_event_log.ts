import type { Knex } from 'knex'

/**
 * `move_events` becomes the generic event log (issue #14): every event, whoever writes it (our routes,
 * the machines' consequences, suppliers and the frontend through POST /api/events, the PER's
 * assessments), is one row here. The table keeps its name: a dozen modules and their tests read it,
 * and every event but a person's belongs to a move.
 *
 * - `eventable_type` / `eventable_id`: what the event is about (a move, journey, person escort record,
 *   person or lodging). Not a foreign key: it points into one of five tables.
 * - `move_id`: the move the event belongs to, which timelines and supplier scoping read; null only for
 *   an event about a person, which belongs to every move of theirs.
 * - `classification`: the reference's five classes, fixed per event type.
 * - `supplier_id`: the supplier whose token posted it; `created_by`: the X-Current-User header
 *   (null: the posting client's name is shown, as before).
 * - `recorded_at`: when the client says it recorded the event (created_at stays the insert time).
 * - the location and move relationships as real foreign keys instead of ids inside `details`.
 *
 * Existing rows keep their meaning: their from/to status stays, an entry about a journey (or a
 * lodging's own event) gets that journey (lodging) as eventable, and the location ids our own
 * routes kept in `details` move to their columns.
 */
const LOCATION_COLUMNS = ['location_id', 'from_location_id', 'to_location_id', 'court_location_id'] as const

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('move_events', t => {
    t.text('eventable_type')
    t.uuid('eventable_id')
    t.text('classification').notNullable().defaultTo('default')
    t.uuid('supplier_id').references('suppliers.id')
    t.text('created_by')
    t.timestamp('recorded_at', { useTz: true })
    for (const column of LOCATION_COLUMNS) t.uuid(column).references('locations.id')
    t.uuid('previous_move_id').references('moves.id')
  })
  await knex.raw(`
    update move_events set
      eventable_type = case
        when event_type like 'Journey%' and details->>'journey_id' is not null then 'journeys'
        when event_type like 'Lodging%' and details->>'lodging_id' is not null then 'lodgings'
        else 'moves' end,
      eventable_id = case
        when event_type like 'Journey%' and details->>'journey_id' is not null then (details->>'journey_id')::uuid
        when event_type like 'Lodging%' and details->>'lodging_id' is not null then (details->>'lodging_id')::uuid
        else move_id end,
      recorded_at = created_at`)
  for (const column of LOCATION_COLUMNS) {
    await knex.raw(
      `update move_events e set ?? = (e.details->>?)::uuid, details = e.details - ?
        where e.details->>? is not null and exists (select 1 from locations l where l.id::text = e.details->>?)`,
      [column, column, column, column, column],
    )
    // An id that names no location (a null lockout location) says nothing the column does not.
    await knex.raw(`update move_events set details = details - ? where details @> jsonb_build_object(?::text, null)`, [
      column,
      column,
    ])
  }
  await knex.raw(`alter table move_events alter column eventable_type set not null`)
  await knex.raw(`alter table move_events alter column eventable_id set not null`)
  await knex.raw(`alter table move_events alter column recorded_at set not null`)
  await knex.raw(`alter table move_events alter column move_id drop not null`)
  await knex.raw(`alter table move_events add constraint move_events_eventable_type_check
    check (eventable_type in ('moves', 'journeys', 'person_escort_records', 'people', 'lodgings'))`)
  await knex.raw(`alter table move_events add constraint move_events_move_check
    check (move_id is not null or eventable_type = 'people')`)
  await knex.raw(`alter table move_events add constraint move_events_classification_check
    check (classification in ('default', 'incident', 'medical', 'notification', 'suicide_and_self_harm'))`)
  await knex.schema.alterTable('move_events', t => {
    t.index(['eventable_type', 'eventable_id', 'occurred_at'])
    t.index(['move_id', 'occurred_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('move_events', t => {
    t.dropIndex(['eventable_type', 'eventable_id', 'occurred_at'])
    t.dropIndex(['move_id', 'occurred_at'])
  })
  await knex.raw(`delete from move_events where move_id is null`)
  await knex.raw(`alter table move_events alter column move_id set not null`)
  for (const column of LOCATION_COLUMNS) {
    await knex.raw(`update move_events set details = details || jsonb_build_object(?::text, ??) where ?? is not null`, [
      column,
      column,
      column,
    ])
  }
  await knex.raw('alter table move_events drop constraint move_events_eventable_type_check')
  await knex.raw('alter table move_events drop constraint move_events_move_check')
  await knex.raw('alter table move_events drop constraint move_events_classification_check')
  await knex.schema.alterTable('move_events', t => {
    for (const column of [
      'eventable_type',
      'eventable_id',
      'classification',
      'supplier_id',
      'created_by',
      'recorded_at',
      ...LOCATION_COLUMNS,
      'previous_move_id',
    ]) {
      t.dropColumn(column)
    }
  })
}
