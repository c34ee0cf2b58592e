import type { Knex } from 'knex'

/**
 * Overnight stays on a move. The checks keep every row meaningful whatever writes it; the partial
 * unique index is the reference's "same move, same dates" rule, held by the database. Overlapping
 * stays are refused by the use case, which holds the move's row lock while it checks.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lodgings', t => {
    t.uuid('id').primary()
    t.uuid('move_id').notNullable().references('moves.id')
    t.uuid('location_id').notNullable().references('locations.id')
    t.date('start_date').notNullable()
    t.date('end_date').notNullable()
    t.text('status').notNullable()
    t.text('cancellation_reason')
    t.text('cancellation_reason_comment')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['move_id'])
    t.index(['location_id'])
  })
  await knex.raw(`ALTER TABLE lodgings ADD CONSTRAINT lodgings_dates_check CHECK (end_date > start_date)`)
  await knex.raw(
    `ALTER TABLE lodgings ADD CONSTRAINT lodgings_status_check CHECK (status IN ('proposed', 'started', 'completed', 'cancelled'))`,
  )
  await knex.raw(
    `ALTER TABLE lodgings ADD CONSTRAINT lodgings_cancellation_check CHECK ((status = 'cancelled') = (cancellation_reason IS NOT NULL))`,
  )
  await knex.raw(
    `CREATE UNIQUE INDEX lodgings_move_dates_unique ON lodgings (move_id, start_date, end_date) WHERE status <> 'cancelled'`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('lodgings')
}
