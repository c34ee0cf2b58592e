import type { Knex } from 'knex'

/** What each timeline event carries beyond its status change (reasons, locations, dates). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('move_events', t => {
    t.jsonb('details').notNullable().defaultTo('{}')
  })
  await knex.schema.alterTable('moves', t => {
    t.index(['original_move_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moves', t => {
    t.dropIndex(['original_move_id'])
  })
  await knex.schema.alterTable('move_events', t => {
    t.dropColumn('details')
  })
}
