import type { Knex } from 'knex'

/**
 * NOMIS renumbers a prisoner (NOMS_ID_CHANGED) when two records turn out to be one person: the
 * records that hang off a NOMS id follow it. The event feed keeps the id each event was filed under.
 */
const followers = [
  'offender_aliases',
  'offender_alerts',
  'offender_bookings',
  'trust_accounts',
  'offender_transactions',
  'stored_payments',
  'offender_holds',
]

export async function up(knex: Knex): Promise<void> {
  for (const table of followers) {
    await knex.schema.alterTable(table, t => {
      t.dropForeign(['noms_id'])
      t.foreign('noms_id').references('noms_id').inTable('offenders').onDelete('CASCADE').onUpdate('CASCADE')
    })
  }
  await knex.schema.alterTable('sub_accounts', t => {
    t.dropForeign(['noms_id', 'prison_id'])
    t.foreign(['noms_id', 'prison_id'])
      .references(['noms_id', 'prison_id'])
      .inTable('trust_accounts')
      .onDelete('CASCADE')
      .onUpdate('CASCADE')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sub_accounts', t => {
    t.dropForeign(['noms_id', 'prison_id'])
    t.foreign(['noms_id', 'prison_id'])
      .references(['noms_id', 'prison_id'])
      .inTable('trust_accounts')
      .onDelete('CASCADE')
  })
  for (const table of followers) {
    await knex.schema.alterTable(table, t => {
      t.dropForeign(['noms_id'])
      t.foreign('noms_id').references('noms_id').inTable('offenders').onDelete('CASCADE')
    })
  }
}
