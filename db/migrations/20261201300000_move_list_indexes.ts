import type { Knex } from 'knex'

/**
 * Indexes the move list's own sorts (lib/moves/moves.ts listMoves): each is the sort column with nulls
 * first, then the id. Walked forwards it is the ascending order (nulls first, ids ascending), backwards the
 * descending one (nulls last, ids descending), so a page of a date range is read from the index in order
 * and stops after the page instead of sorting every move that matches (20,000 on a busy day), and the
 * total of a date range is counted from the index alone. The date index replaces the plain one on date.
 * The sorts on a related row's column (name, locations, reason) still sort what matches.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index moves_date_id_index on moves (date nulls first, id)')
  await knex.raw('create index moves_date_from_id_index on moves (date_from nulls first, id)')
  await knex.raw('create index moves_created_at_id_index on moves (created_at nulls first, id)')
  await knex.raw('drop index moves_date_index')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index moves_date_index on moves (date)')
  await knex.raw('drop index moves_created_at_id_index')
  await knex.raw('drop index moves_date_from_id_index')
  await knex.raw('drop index moves_date_id_index')
}
