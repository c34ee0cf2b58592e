import type { Knex } from 'knex'

/**
 * Indexes the move list's location filters (lib/moves/moves.ts applyRoute): a move's location with its
 * date, so a day's moves from or to a place are read from the index alone instead of every move of that
 * place (1,700 a year on the bench data) or every move of the day (20,000 on a busy one); and a lodging's
 * location with each of its dates, the edge that a stay adds to the same filters. Each index on a location
 * alone gives way to one that leads with it, which serves its lookups (a foreign key's, a place's moves).
 * A profile's id with its person's (covering) lets the sort by name join a day's moves to their people
 * from an index of 120,000 narrow entries, where it read every profile's assessment answers from the table.
 */
const INDEXES: { table: string; columns: string[]; replaces?: string[] }[] = [
  { table: 'moves', columns: ['from_location_id', 'date'], replaces: ['from_location_id'] },
  { table: 'moves', columns: ['to_location_id', 'date'], replaces: ['to_location_id'] },
  { table: 'lodgings', columns: ['location_id', 'start_date'], replaces: ['location_id'] },
  { table: 'lodgings', columns: ['location_id', 'end_date'] },
]

export async function up(knex: Knex): Promise<void> {
  for (const { table, columns, replaces } of INDEXES) {
    await knex.schema.alterTable(table, t => {
      t.index(columns)
      if (replaces) t.dropIndex(replaces)
    })
  }
  // knex's index builder has no INCLUDE.
  await knex.raw('create index profiles_id_person_id_index on profiles (id) include (person_id)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index profiles_id_person_id_index')
  for (const { table, columns, replaces } of [...INDEXES].reverse()) {
    await knex.schema.alterTable(table, t => {
      if (replaces) t.index(replaces)
      t.dropIndex(columns)
    })
  }
}
