import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('suppliers', t => {
    t.uuid('id').primary()
    t.text('key').notNullable().unique()
    t.text('name').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })

  await knex.schema.createTable('api_clients', t => {
    t.uuid('id').primary()
    t.text('name').notNullable()
    t.text('client_id').notNullable().unique()
    t.text('secret_hash').notNullable()
    t.uuid('supplier_id').references('suppliers.id')
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })

  await knex.schema.createTable('access_tokens', t => {
    t.text('token_hash').primary()
    t.uuid('api_client_id').notNullable().references('api_clients.id').onDelete('CASCADE')
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('expires_at', { useTz: true }).notNullable().index()
  })

  await knex.schema.createTable('idempotency_keys', t => {
    t.bigIncrements('id')
    t.uuid('api_client_id').notNullable().references('api_clients.id').onDelete('CASCADE')
    t.uuid('key').notNullable()
    t.text('fingerprint').notNullable()
    t.text('method').notNullable()
    t.text('path').notNullable()
    t.timestamp('locked_at', { useTz: true })
    t.timestamp('completed_at', { useTz: true })
    t.integer('response_status')
    t.jsonb('response_headers')
    t.text('response_body')
    t.timestamp('created_at', { useTz: true }).notNullable().index()
    t.unique(['api_client_id', 'key'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys')
  await knex.schema.dropTable('access_tokens')
  await knex.schema.dropTable('api_clients')
  await knex.schema.dropTable('suppliers')
}
