import type { Knex } from 'knex'

/**
 * Supplier notifications: subscriptions (a callback URL and/or an email address per supplier,
 * the signing secret encrypted so that it can still sign), the outbox of notifications written
 * in the transaction of the move change that caused them, and the log of every delivery attempt.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscriptions', t => {
    t.uuid('id').primary()
    t.uuid('supplier_id').notNullable().references('suppliers.id')
    t.text('callback_url')
    // AES-256-GCM: iv, tag and ciphertext, base64, joined by dots.
    t.text('secret_encrypted')
    t.text('username')
    t.text('password_encrypted')
    t.text('email_address')
    t.boolean('enabled').notNullable().defaultTo(true)
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable()
    t.index(['supplier_id'])
  })
  await knex.raw(
    `ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_target_check CHECK (callback_url IS NOT NULL OR email_address IS NOT NULL)`,
  )

  await knex.schema.createTable('notifications', t => {
    t.uuid('id').primary()
    // Orders the notifications of one move: the next is queued only once the one before is settled.
    t.bigIncrements('sequence', { primaryKey: false })
    t.uuid('subscription_id').notNullable().references('subscriptions.id')
    t.uuid('move_id').notNullable().references('moves.id')
    t.text('channel').notNullable()
    t.text('event_type').notNullable()
    t.timestamp('event_at', { useTz: true }).notNullable()
    t.text('status').notNullable()
    t.text('job_id')
    t.timestamp('delivered_at', { useTz: true })
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable()
    t.index(['move_id', 'sequence'])
    t.index(['subscription_id', 'move_id', 'channel', 'status'])
  })
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'delivered', 'dead_lettered'))`,
  )
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('webhook', 'email'))`,
  )

  await knex.schema.createTable('notification_attempts', t => {
    t.bigIncrements('id')
    t.uuid('notification_id').notNullable().references('notifications.id')
    t.timestamp('attempted_at', { useTz: true }).notNullable()
    t.integer('duration_ms').notNullable()
    t.integer('response_status')
    t.text('error')
    t.index(['notification_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_attempts')
  await knex.schema.dropTable('notifications')
  await knex.schema.dropTable('subscriptions')
}
