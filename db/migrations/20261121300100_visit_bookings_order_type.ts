import type { Knex } from 'knex'

/** Which kind of order a booked visit used, so that its cancellation refunds the same kind. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('visit_bookings', t => {
    t.text('order_type').checkIn(['VO', 'PVO'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('visit_bookings', t => {
    t.dropColumn('order_type')
  })
}
