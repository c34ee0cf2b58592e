import type { Knex } from 'knex'

/**
 * Visit allocation: the per-prisoner ledger of visiting orders (VO, PVO), debt, the change log
 * with the balance after each change, the user-facing history, the per-prison switch and
 * incentive amounts we own, and the record of every allocation job run per date and prison.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('visit_allocation_prisons', t => {
    t.text('prison_code').primary().references('prisons.prison_id')
    t.boolean('allocation_enabled').notNullable().defaultTo(false)
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })

  // Overrides of the documented default amounts (lib/visits/rules.ts) for one prison and level.
  await knex.schema.createTable('visit_incentive_amounts', t => {
    t.text('prison_code').notNullable().references('prisons.prison_id')
    t.text('level_code').notNullable()
    t.integer('visit_orders').notNullable()
    t.integer('privileged_visit_orders').notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.primary(['prison_code', 'level_code'])
  })
  await knex.raw(
    'ALTER TABLE visit_incentive_amounts ADD CONSTRAINT visit_incentive_amounts_non_negative CHECK (visit_orders >= 0 AND privileged_visit_orders >= 0)',
  )

  await knex.schema.createTable('visit_prisoners', t => {
    t.text('prisoner_id').primary()
    t.date('last_vo_allocated_date').notNullable()
    t.date('last_pvo_allocated_date')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })

  await knex.schema.createTable('visit_orders', t => {
    t.bigIncrements('id')
    t.text('prisoner_id').notNullable().references('visit_prisoners.prisoner_id').onDelete('CASCADE')
    t.text('type').notNullable().checkIn(['VO', 'PVO'])
    t.text('status').notNullable().checkIn(['AVAILABLE', 'ACCUMULATED', 'USED', 'EXPIRED'])
    t.date('created_date').notNullable()
    t.date('expiry_date')
    t.text('visit_reference')
    t.index(['prisoner_id', 'type', 'status'])
  })

  await knex.schema.createTable('negative_visit_orders', t => {
    t.bigIncrements('id')
    t.text('prisoner_id').notNullable().references('visit_prisoners.prisoner_id').onDelete('CASCADE')
    t.text('type').notNullable().checkIn(['VO', 'PVO'])
    t.text('status').notNullable().checkIn(['USED', 'REPAID'])
    t.date('created_date').notNullable()
    t.date('repaid_date')
    t.text('repaid_reason')
    t.text('visit_reference')
    t.index(['prisoner_id', 'type', 'status'])
  })

  await knex.schema.createTable('visit_change_log', t => {
    t.bigIncrements('id')
    t.text('prisoner_id').notNullable().references('visit_prisoners.prisoner_id').onDelete('CASCADE')
    t.timestamp('change_timestamp', { useTz: true }).notNullable()
    t.text('change_type').notNullable()
    t.text('change_source').notNullable().checkIn(['SYSTEM', 'STAFF'])
    t.text('user_id').notNullable()
    t.text('comment')
    t.uuid('reference').notNullable()
    t.integer('vo_balance').notNullable()
    t.integer('pvo_balance').notNullable()
    t.integer('vo_available').notNullable()
    t.integer('vo_accumulated').notNullable()
    t.integer('vo_negative').notNullable()
    t.integer('pvo_available').notNullable()
    t.integer('pvo_negative').notNullable()
    t.index(['prisoner_id', 'id'])
  })

  await knex.schema.createTable('visit_order_history', t => {
    t.bigIncrements('id')
    t.text('prisoner_id').notNullable().references('visit_prisoners.prisoner_id').onDelete('CASCADE')
    t.text('type').notNullable()
    t.timestamp('created_timestamp', { useTz: true }).notNullable()
    t.integer('vo_balance').notNullable()
    t.integer('pvo_balance').notNullable()
    t.text('user_name').notNullable()
    t.text('comment')
    // [{type, value}]: VISIT_REFERENCE, INCENTIVE_LEVEL, ADJUSTMENT_REASON_TYPE, ...
    t.jsonb('attributes').notNullable().defaultTo('[]')
    t.index(['prisoner_id', 'created_timestamp'])
  })

  // One row per visit, so that a repeated booked or cancelled event changes nothing.
  await knex.schema.createTable('visit_bookings', t => {
    t.text('visit_reference').primary()
    t.text('prisoner_id').notNullable()
    t.timestamp('booked_at', { useTz: true }).notNullable()
    t.timestamp('cancelled_at', { useTz: true })
  })

  await knex.schema.createTable('visit_allocation_jobs', t => {
    t.uuid('id').primary()
    t.text('reference').notNullable().unique()
    t.date('allocation_date').notNullable()
    t.integer('total_prisons').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable()
  })

  await knex.schema.createTable('visit_allocation_prison_jobs', t => {
    t.bigIncrements('id')
    t.uuid('job_id').notNullable().references('visit_allocation_jobs.id')
    t.text('prison_code').notNullable()
    t.date('allocation_date').notNullable()
    t.timestamp('start_timestamp', { useTz: true })
    t.timestamp('end_timestamp', { useTz: true })
    t.integer('convicted_prisoners')
    t.integer('processed_prisoners')
    t.integer('failed_or_skipped_prisoners')
    t.text('failure_message')
    // The guard against double allocation: one run per prison and date, whoever starts it.
    t.unique(['prison_code', 'allocation_date'])
    t.index(['job_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'visit_allocation_prison_jobs',
    'visit_allocation_jobs',
    'visit_bookings',
    'visit_order_history',
    'visit_change_log',
    'negative_visit_orders',
    'visit_orders',
    'visit_prisoners',
    'visit_incentive_amounts',
    'visit_allocation_prisons',
  ]) {
    await knex.schema.dropTableIfExists(table)
  }
}
