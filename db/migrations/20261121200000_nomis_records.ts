import type { Knex } from 'knex'

/**
 * What the NOMIS-compatible API serves beyond the offender record itself: bookings with their legal
 * cases and charges, trust accounts with their sub-accounts, transactions, holds, stored payments,
 * and the event feed that every change to a prisoner record writes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('offenders', t => {
    t.text('personal_officer')
  })

  await knex.schema.createTable('offender_bookings', t => {
    t.bigIncrements('id')
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('booking_no').notNullable().unique()
    t.boolean('active').notNullable()
    t.date('start_date').notNullable()
    t.text('prison_id').references('prisons.prison_id')
    t.index(['noms_id'])
  })

  await knex.schema.createTable('offender_legal_cases', t => {
    t.bigIncrements('id')
    t.bigInteger('booking_id').notNullable().references('offender_bookings.id').onDelete('CASCADE')
    t.boolean('active').notNullable()
    t.date('start_date').notNullable()
    t.text('court_code').notNullable()
    t.text('court_desc').notNullable()
    t.text('case_type_code').notNullable()
    t.text('case_type_desc').notNullable()
    t.index(['booking_id'])
  })

  await knex.schema.createTable('offender_charges', t => {
    t.bigIncrements('id')
    t.bigInteger('legal_case_id').notNullable().references('offender_legal_cases.id').onDelete('CASCADE')
    t.text('statute_code').notNullable()
    t.text('statute_desc').notNullable()
    t.text('offence_code').notNullable()
    t.text('offence_desc').notNullable()
    t.boolean('most_serious').notNullable().defaultTo(false)
    t.boolean('active').notNullable().defaultTo(true)
    t.text('severity_ranking')
    t.text('result_code')
    t.text('result_desc')
    t.text('disposition_code')
    t.text('disposition_desc')
    t.boolean('convicted').notNullable().defaultTo(false)
    t.text('imprisonment_status_code')
    t.text('imprisonment_status_desc')
    t.text('band_code')
    t.text('band_desc')
    t.index(['legal_case_id'])
  })

  // usage R (receipt, credit) or D (disbursement, debit); the sub-account it posts to.
  await knex.schema.createTable('transaction_types', t => {
    t.text('code').primary()
    t.text('description').notNullable()
    t.text('usage').notNullable()
    t.text('account_code').notNullable()
  })
  await knex.raw(
    `ALTER TABLE transaction_types ADD CONSTRAINT transaction_types_usage_check CHECK (usage IN ('R', 'D'))`,
  )

  // NOMIS's transaction_operations for the NOMISAPI module: which types the API may post per prison.
  await knex.schema.createTable('prison_transaction_types', t => {
    t.text('prison_id').notNullable().references('prisons.prison_id')
    t.text('type_code').notNullable().references('transaction_types.code')
    t.primary(['prison_id', 'type_code'])
  })

  await knex.schema.createTable('trust_accounts', t => {
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('prison_id').notNullable().references('prisons.prison_id')
    t.boolean('closed').notNullable().defaultTo(false)
    t.primary(['noms_id', 'prison_id'])
  })

  // balance is what the offender can spend; held money sits in hold_balance until the hold is released.
  await knex.schema.createTable('sub_accounts', t => {
    t.text('noms_id').notNullable()
    t.text('prison_id').notNullable()
    t.text('account_code').notNullable()
    t.integer('balance').notNullable().defaultTo(0)
    t.integer('hold_balance').notNullable().defaultTo(0)
    t.primary(['noms_id', 'prison_id', 'account_code'])
    t.foreign(['noms_id', 'prison_id'])
      .references(['noms_id', 'prison_id'])
      .inTable('trust_accounts')
      .onDelete('CASCADE')
  })
  await knex.raw(
    `ALTER TABLE sub_accounts ADD CONSTRAINT sub_accounts_code_check CHECK (account_code IN ('SPND', 'REG', 'SAV'))`,
  )
  await knex.raw(
    `ALTER TABLE sub_accounts ADD CONSTRAINT sub_accounts_balance_check CHECK (balance >= 0 AND hold_balance >= 0)`,
  )

  await knex.raw('CREATE SEQUENCE offender_transaction_id_seq START WITH 6180000')
  await knex.schema.createTable('offender_transactions', t => {
    t.bigInteger('txn_id').notNullable()
    t.integer('txn_seq').notNullable()
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('prison_id').notNullable().references('prisons.prison_id')
    t.text('account_code').notNullable()
    t.text('type_code').notNullable().references('transaction_types.code')
    t.text('description').notNullable()
    // Signed pence: debits are negative.
    t.integer('amount').notNullable()
    t.date('entry_date').notNullable()
    t.text('client_transaction_id')
    // Stored with the X-Client-Name prefix; unique across the database, so a duplicate post loses.
    t.text('client_unique_ref')
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.primary(['txn_id', 'txn_seq'])
    t.unique(['client_unique_ref'])
    t.index(['noms_id', 'prison_id', 'account_code', 'entry_date'])
  })

  await knex.raw('CREATE SEQUENCE hold_number_seq START WITH 6185800')
  await knex.schema.createTable('offender_holds', t => {
    t.bigInteger('hold_number').primary()
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('prison_id').notNullable()
    t.text('account_code').notNullable()
    t.integer('amount').notNullable()
    t.text('description')
    t.text('reference_no')
    t.date('entry_date').notNullable()
    t.date('hold_until_date')
    t.text('client_unique_ref')
    t.bigInteger('txn_id').notNullable()
    t.timestamp('released_at', { useTz: true })
    t.index(['noms_id', 'prison_id'])
  })
  await knex.raw(`ALTER TABLE offender_holds ADD CONSTRAINT offender_holds_amount_check CHECK (amount > 0)`)

  // Pay events wait here until the posting step (after payroll) turns them into transactions.
  await knex.schema.createTable('stored_payments', t => {
    t.bigIncrements('id')
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('prison_id').notNullable()
    t.text('type_code').notNullable()
    t.text('description')
    t.integer('amount').notNullable()
    t.text('client_transaction_id')
    t.timestamp('received_at', { useTz: true }).notNullable()
    t.timestamp('processed_at', { useTz: true })
    t.bigInteger('txn_id')
    t.text('failure')
    t.index(['processed_at'])
  })

  await knex.schema.createTable('offender_events', t => {
    t.bigIncrements('id')
    t.text('event_type').notNullable()
    t.text('noms_id').notNullable()
    t.text('prison_id')
    t.timestamp('event_timestamp', { useTz: true }).notNullable()
    t.jsonb('payload').notNullable()
    t.index(['event_timestamp', 'id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('offender_events')
  await knex.schema.dropTable('stored_payments')
  await knex.schema.dropTable('offender_holds')
  await knex.raw('DROP SEQUENCE hold_number_seq')
  await knex.schema.dropTable('offender_transactions')
  await knex.raw('DROP SEQUENCE offender_transaction_id_seq')
  await knex.schema.dropTable('sub_accounts')
  await knex.schema.dropTable('trust_accounts')
  await knex.schema.dropTable('prison_transaction_types')
  await knex.schema.dropTable('transaction_types')
  await knex.schema.dropTable('offender_charges')
  await knex.schema.dropTable('offender_legal_cases')
  await knex.schema.dropTable('offender_bookings')
  await knex.schema.alterTable('offenders', t => {
    t.dropColumn('personal_officer')
  })
}
