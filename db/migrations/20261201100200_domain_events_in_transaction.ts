import type { Knex } from 'knex'

/**
 * Record changes now publish their domain events on the queue in their own transaction (issue #18,
 * rule 5), so the feed is no longer an outbox: its domain_event column and the relay's cursor go.
 * An event the old relay had not yet published would be lost with them, so the migration refuses
 * to run while any is left: start the previous version until its relay has caught up (seconds).
 */
export async function up(knex: Knex): Promise<void> {
  const cursor = (await knex('domain_event_relay').max('last_offender_event_id as id').first()) as {
    id: string | number | null
  }
  const pending = (await knex('offender_events')
    .whereNotNull('domain_event')
    .where('id', '>', Number(cursor.id ?? 0))
    .count('* as count')
    .first()) as { count: string | number }
  if (Number(pending.count) > 0) {
    throw new Error(
      `${pending.count} prisoner-record domain events are not yet relayed: run the previous version until its relay publishes them`,
    )
  }
  await knex.schema.dropTable('domain_event_relay')
  await knex.schema.alterTable('offender_events', t => {
    t.dropColumn('domain_event')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('offender_events', t => {
    t.jsonb('domain_event')
  })
  await knex.schema.createTable('domain_event_relay', t => {
    t.text('name').primary()
    t.bigInteger('last_offender_event_id').notNullable()
  })
}
