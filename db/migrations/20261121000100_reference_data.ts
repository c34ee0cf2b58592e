import type { Knex } from 'knex'

const LOCATION_TYPES = [
  'court',
  'police',
  'prison',
  'secure_training_centre',
  'secure_childrens_home',
  'approved_premises',
  'probation_office',
  'community_rehabilitation_company',
  'foreign_national_prison',
  'voluntary_hostel',
  'high_security_hospital',
  'hospital',
  'immigration_detention_centre',
]

function timestamps(knex: Knex, t: Knex.CreateTableBuilder) {
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('locations', t => {
    t.uuid('id').primary()
    t.text('key').notNullable().unique()
    t.text('title').notNullable()
    t.enu('location_type', LOCATION_TYPES, { useNative: true, enumName: 'location_type' }).notNullable()
    t.text('nomis_agency_id').index()
    t.boolean('can_upload_documents').notNullable().defaultTo(false)
    t.boolean('young_offender_institution').notNullable().defaultTo(false)
    t.boolean('extradition_capable').notNullable().defaultTo(false)
    t.text('premise')
    t.text('locality')
    t.text('city')
    t.text('country')
    t.text('postcode')
    t.double('latitude')
    t.double('longitude')
    t.timestamp('disabled_at', { useTz: true })
    timestamps(knex, t)
    t.index(['location_type'])
  })

  await knex.schema.createTable('locations_suppliers', t => {
    t.uuid('location_id').notNullable().references('locations.id').onDelete('CASCADE')
    t.uuid('supplier_id').notNullable().references('suppliers.id').onDelete('CASCADE')
    t.date('effective_from')
    t.date('effective_to')
    t.primary(['location_id', 'supplier_id'])
    t.index(['supplier_id'])
  })

  await knex.schema.createTable('assessment_questions', t => {
    t.uuid('id').primary()
    t.text('key').notNullable().unique()
    t.text('title').notNullable()
    t.enu('category', ['risk', 'health', 'court'], { useNative: true, enumName: 'assessment_category' }).notNullable()
    t.timestamp('disabled_at', { useTz: true })
    timestamps(knex, t)
  })

  // NOMIS alert code -> assessment question; codes not listed fall back to other_risks.
  await knex.schema.createTable('nomis_alert_mappings', t => {
    t.text('alert_code').primary()
    t.uuid('assessment_question_id').notNullable().references('assessment_questions.id')
  })

  for (const table of ['allocation_complex_cases', 'ethnicities', 'genders', 'prison_transfer_reasons']) {
    await knex.schema.createTable(table, t => {
      t.uuid('id').primary()
      t.text('key').notNullable().unique()
      t.text('title').notNullable()
      t.text('description')
      t.text('nomis_code')
      t.timestamp('disabled_at', { useTz: true })
      timestamps(knex, t)
    })
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'prison_transfer_reasons',
    'genders',
    'ethnicities',
    'allocation_complex_cases',
    'nomis_alert_mappings',
    'assessment_questions',
    'locations_suppliers',
    'locations',
  ]) {
    await knex.schema.dropTable(table)
  }
  await knex.raw('DROP TYPE IF EXISTS location_type, assessment_category')
}
