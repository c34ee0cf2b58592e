import type { Knex } from 'knex'

export const up = (knex: Knex) => knex.schema.createTable('moves', t => t.uuid('id'))
