import type { Knex } from 'knex'

/**
 * A journey's `date` (the day the leg is driven; the reference defaults it to the move's date) and
 * `number` (its place among its move's journeys, 1 for the first made). Existing journeys get the
 * move's date, or the London date of their timestamp for a move without one, and numbers in the order
 * they were made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journeys', t => {
    t.date('date')
    t.integer('number')
  })
  await knex.raw(`
    update journeys j set
      date = coalesce(m.date, (j.client_timestamp at time zone 'Europe/London')::date),
      number = n.number
    from moves m,
         (select id, row_number() over (partition by move_id order by created_at, client_timestamp, id) as number
          from journeys) n
    where m.id = j.move_id and n.id = j.id`)
  await knex.schema.alterTable('journeys', t => {
    t.date('date').notNullable().alter()
    t.integer('number').notNullable().alter()
    t.unique(['move_id', 'number'])
  })
  await knex.raw('alter table journeys add constraint journeys_number_check check (number >= 1)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journeys', t => {
    t.dropUnique(['move_id', 'number'])
    t.dropColumn('date')
    t.dropColumn('number')
  })
}
