import type { Knex } from 'knex'

/** The legs a supplier drives for a move; suppliers are paid per billable journey. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journeys', t => {
    t.uuid('id').primary()
    t.uuid('move_id').notNullable().references('moves.id')
    t.uuid('supplier_id').notNullable().references('suppliers.id')
    t.uuid('from_location_id').notNullable().references('locations.id')
    t.uuid('to_location_id').notNullable().references('locations.id')
    t.text('state').notNullable()
    t.boolean('billable').notNullable().defaultTo(false)
    t.jsonb('vehicle')
    t.timestamp('client_timestamp', { useTz: true }).notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['move_id'])
  })
  await knex.raw(
    `ALTER TABLE journeys ADD CONSTRAINT journeys_state_check CHECK (state IN ('proposed', 'in_progress', 'completed', 'cancelled', 'rejected'))`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journeys')
}
