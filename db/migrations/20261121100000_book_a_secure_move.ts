import type { Knex } from 'knex'

function timestamps(knex: Knex, t: Knex.CreateTableBuilder) {
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
}

/** People, their profiles, allocations, moves and the moves' event timeline. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('people', t => {
    t.uuid('id').primary()
    t.text('first_names').notNullable()
    t.text('last_name').notNullable()
    t.date('date_of_birth')
    t.uuid('gender_id').references('genders.id')
    t.uuid('ethnicity_id').references('ethnicities.id')
    t.text('gender_additional_information')
    // The prisoner record this person was imported from, when there is one.
    t.text('prison_number').unique()
    t.text('criminal_records_office')
    t.text('police_national_computer')
    timestamps(knex, t)
    t.index(['police_national_computer'])
    t.index(['criminal_records_office'])
  })

  await knex.schema.createTable('profiles', t => {
    t.uuid('id').primary()
    t.uuid('person_id').notNullable().references('people.id')
    t.jsonb('assessment_answers').notNullable().defaultTo('[]')
    timestamps(knex, t)
    t.index(['person_id'])
  })

  await knex.schema.createTable('allocations', t => {
    t.uuid('id').primary()
    t.uuid('from_location_id').notNullable().references('locations.id')
    t.uuid('to_location_id').notNullable().references('locations.id')
    t.date('date').notNullable()
    t.integer('moves_count').notNullable()
    t.text('estate')
    t.text('estate_comment')
    t.text('prisoner_category')
    t.text('sentence_length')
    t.text('sentence_length_comment')
    t.jsonb('complex_cases').notNullable().defaultTo('[]')
    t.boolean('complete_in_full').notNullable().defaultTo(false)
    t.text('requested_by')
    t.text('other_criteria')
    t.text('status').notNullable().defaultTo('unfilled')
    t.text('cancellation_reason')
    t.text('cancellation_reason_comment')
    timestamps(knex, t)
    t.index(['date'])
  })
  await knex.raw(
    `ALTER TABLE allocations ADD CONSTRAINT allocations_status_check CHECK (status IN ('unfilled', 'filled', 'cancelled'))`,
  )

  await knex.schema.createTable('moves', t => {
    t.uuid('id').primary()
    t.text('reference').notNullable().unique()
    t.text('status').notNullable()
    t.text('move_type').notNullable()
    t.date('date')
    t.date('date_from')
    t.date('date_to')
    t.timestamp('time_due', { useTz: true })
    t.uuid('from_location_id').notNullable().references('locations.id')
    t.uuid('to_location_id').references('locations.id')
    t.uuid('supplier_id').references('suppliers.id')
    t.uuid('profile_id').references('profiles.id')
    t.uuid('allocation_id').references('allocations.id')
    t.uuid('prison_transfer_reason_id').references('prison_transfer_reasons.id')
    t.uuid('original_move_id').references('moves.id')
    t.text('additional_information')
    t.boolean('move_agreed')
    t.text('move_agreed_by')
    t.text('cancellation_reason')
    t.text('cancellation_reason_comment')
    t.text('rejection_reason')
    t.boolean('is_lockout').notNullable().defaultTo(false)
    timestamps(knex, t)
    t.index(['date'])
    t.index(['allocation_id'])
    t.index(['profile_id'])
    t.index(['from_location_id'])
    t.index(['to_location_id'])
    t.index(['supplier_id'])
  })
  await knex.raw(
    `ALTER TABLE moves ADD CONSTRAINT moves_status_check CHECK (status IN ('proposed', 'requested', 'booked', 'in_transit', 'completed', 'cancelled'))`,
  )

  // The timeline: one row per transition, written in the transaction that makes it.
  await knex.schema.createTable('move_events', t => {
    t.bigIncrements('id')
    t.uuid('move_id').notNullable().references('moves.id')
    t.text('event_type').notNullable()
    t.timestamp('occurred_at', { useTz: true }).notNullable()
    t.text('from_status')
    t.text('to_status')
    t.text('notes')
    t.uuid('api_client_id')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['move_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['move_events', 'moves', 'allocations', 'profiles', 'people']) await knex.schema.dropTable(table)
}
