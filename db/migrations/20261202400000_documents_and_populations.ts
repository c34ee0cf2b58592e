import type { Knex } from 'knex'

/**
 * Documents and populations (issue #21).
 *
 * `documents` keeps each uploaded file's bytes in the row (`bytea`), not on a disk: one backup holds
 * the whole of a person's record, a document is attached to its profile in the same transaction as the
 * profile's change, and PGlite and PostgreSQL keep it alike. A file is at most 10 MiB
 * (lib/documents/documents.ts), which PostgreSQL stores out of line (TOAST) without trouble. A document is
 * uploaded on its own (`profile_id` null) and attached later through the profile's `documents`
 * relationship; `api_client_id` is who uploaded it, the only one who sees it until it is attached.
 *
 * `populations` is a prison's day: its capacities and the day's counts the free-spaces arithmetic
 * takes (lib/populations). One per location and date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', t => {
    t.uuid('id').primary()
    t.uuid('profile_id').references('profiles.id')
    t.uuid('api_client_id').notNullable().references('api_clients.id')
    t.text('filename').notNullable()
    t.text('content_type').notNullable()
    t.integer('filesize').notNullable()
    t.specificType('content', 'bytea').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable()
    t.index(['profile_id'])
  })
  await knex.raw(`alter table documents add constraint documents_filesize_check check (filesize > 0)`)

  await knex.schema.createTable('populations', t => {
    t.uuid('id').primary()
    t.uuid('location_id').notNullable().references('locations.id')
    t.date('date').notNullable()
    t.integer('operational_capacity').notNullable()
    t.integer('usable_capacity').notNullable()
    t.integer('unlock').notNullable().defaultTo(0)
    t.integer('bedwatch').notNullable().defaultTo(0)
    t.integer('overnights_in').notNullable().defaultTo(0)
    t.integer('overnights_out').notNullable().defaultTo(0)
    t.integer('out_of_area_courts').notNullable().defaultTo(0)
    t.integer('discharges').notNullable().defaultTo(0)
    t.text('updated_by')
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable()
    t.unique(['location_id', 'date'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('populations')
  await knex.schema.dropTable('documents')
}
