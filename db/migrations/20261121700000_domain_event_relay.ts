import type { Knex } from 'knex'

/**
 * The event feed doubles as the outbox for domain events: a record change stores the domain event
 * it implies on its feed row, in the same transaction, and a relay moves those onto the queue in
 * feed order, remembering how far it got.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('offender_events', t => {
    t.jsonb('domain_event')
  })
  await knex.schema.createTable('domain_event_relay', t => {
    t.text('name').primary()
    t.bigInteger('last_offender_event_id').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('domain_event_relay')
  await knex.schema.alterTable('offender_events', t => {
    t.dropColumn('domain_event')
  })
}
