import type { Knex } from 'knex'

/** The visit ledger tables that hang off visit_prisoners.prisoner_id and follow it when a prisoner is renumbered. */
const followers = ['visit_orders', 'negative_visit_orders', 'visit_change_log', 'visit_order_history']

/**
 * Identity changes and the times of ledger changes (issue #18):
 * - a renumbered or merged prisoner's ledger moves to the kept number (ON UPDATE CASCADE), and
 *   visit_prisoner_identities remembers each old number, so that a later event naming it resolves;
 * - orders and debt carry the time they were created, and the prisoner the time of their last
 *   allocation, so that a reset applies to the ledger as it stood at the reception, not to later changes;
 * - a booking keeps the prison it was charged at, whose switch decides its refund (as the reference);
 * - a prison job counts the prisoners who were not due apart from those that failed or were skipped.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of followers) {
    await knex.schema.alterTable(table, t => {
      t.dropForeign(['prisoner_id'])
      t.foreign('prisoner_id')
        .references('prisoner_id')
        .inTable('visit_prisoners')
        .onDelete('CASCADE')
        .onUpdate('CASCADE')
    })
  }
  await knex.schema.createTable('visit_prisoner_identities', t => {
    t.text('old_prisoner_id').primary()
    t.text('prisoner_id').notNullable().index()
    t.text('change').notNullable().checkIn(['RENUMBERED', 'MERGED'])
    t.timestamp('changed_at', { useTz: true }).notNullable()
  })
  for (const table of ['visit_orders', 'negative_visit_orders']) {
    await knex.schema.alterTable(table, t => {
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    })
  }
  await knex.schema.alterTable('visit_prisoners', t => {
    t.timestamp('last_allocated_at', { useTz: true })
  })
  await knex.schema.alterTable('visit_bookings', t => {
    t.text('prison_code')
    t.index(['prisoner_id'])
  })
  await knex.schema.alterTable('visit_allocation_prison_jobs', t => {
    t.integer('not_due_prisoners')
  })
  // Records renumberings (NOMS_ID_CHANGED, filed under the old number) are how visit allocation finds a kept number.
  await knex.raw(
    `CREATE INDEX offender_events_renumbered_new ON offender_events (((payload->'noms_id_change'->>'new_noms_id'))) WHERE event_type = 'NOMS_ID_CHANGED'`,
  )
  await knex.raw(
    `CREATE INDEX offender_events_renumbered_old ON offender_events (noms_id) WHERE event_type = 'NOMS_ID_CHANGED'`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX offender_events_renumbered_old')
  await knex.raw('DROP INDEX offender_events_renumbered_new')
  await knex.schema.alterTable('visit_allocation_prison_jobs', t => {
    t.dropColumn('not_due_prisoners')
  })
  await knex.schema.alterTable('visit_bookings', t => {
    t.dropIndex(['prisoner_id'])
    t.dropColumn('prison_code')
  })
  await knex.schema.alterTable('visit_prisoners', t => {
    t.dropColumn('last_allocated_at')
  })
  for (const table of ['visit_orders', 'negative_visit_orders']) {
    await knex.schema.alterTable(table, t => {
      t.dropColumn('created_at')
    })
  }
  await knex.schema.dropTable('visit_prisoner_identities')
  for (const table of followers) {
    await knex.schema.alterTable(table, t => {
      t.dropForeign(['prisoner_id'])
      t.foreign('prisoner_id').references('prisoner_id').inTable('visit_prisoners').onDelete('CASCADE')
    })
  }
}
