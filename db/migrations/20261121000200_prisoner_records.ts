import type { Knex } from 'knex'

/**
 * The prisoner records that the NOMIS-compatible API serves and that Book a Secure Move imports
 * people and alerts from: one record feeds both.
 */
export async function up(knex: Knex): Promise<void> {
  // NOMIS code tables (gender, ethnicity, religion, alert types and codes, ...): `{code, desc}` pairs.
  await knex.schema.createTable('nomis_reference_codes', t => {
    t.text('domain').notNullable()
    t.text('code').notNullable()
    t.text('description').notNullable()
    t.primary(['domain', 'code'])
  })

  await knex.schema.createTable('prisons', t => {
    t.text('prison_id').primary()
    t.text('description').notNullable()
    // 'DIG' marks a digital prison: canteen, phone and payment operations are only open to those.
    t.text('establishment_type').notNullable().defaultTo('DIG')
    t.boolean('active').notNullable().defaultTo(true)
  })

  await knex.schema.createTable('offenders', t => {
    t.text('noms_id').primary()
    t.text('title')
    t.text('given_name').notNullable()
    t.text('middle_names')
    t.text('surname').notNullable()
    t.text('suffix')
    t.date('date_of_birth').notNullable()
    t.text('gender_code')
    t.text('ethnicity_code')
    t.text('religion_code')
    t.text('nationalities')
    t.text('language_code')
    t.boolean('interpreter_required').notNullable().defaultTo(false)
    t.text('csra_code')
    t.boolean('convicted').notNullable().defaultTo(false)
    t.text('cro_number')
    t.text('pnc_number')
    t.text('imprisonment_status_code')
    t.text('iep_level_code')
    t.text('diet_code')
    t.text('security_category_code')
    // Where the offender is now: a prison while in custody; null when released.
    t.text('prison_id').references('prisons.prison_id')
    t.text('housing_location')
    // IN (in the prison), TRN (in transit between prisons), OUT (released).
    t.text('custody_status').notNullable().defaultTo('IN')
    t.text('image_base64')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['prison_id'])
    t.index(['pnc_number'])
    t.index(['cro_number'])
  })

  await knex.schema.createTable('offender_aliases', t => {
    t.bigIncrements('id')
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('given_name').notNullable()
    t.text('middle_names')
    t.text('surname').notNullable()
    t.date('date_of_birth')
    t.index(['noms_id'])
  })

  await knex.schema.createTable('offender_alerts', t => {
    t.bigIncrements('id')
    t.text('noms_id').notNullable().references('offenders.noms_id').onDelete('CASCADE')
    t.text('alert_type').notNullable()
    t.text('alert_code').notNullable()
    t.date('alert_date').notNullable()
    t.date('expiry_date')
    t.text('status').notNullable().defaultTo('ACTIVE')
    t.text('comment')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['noms_id', 'status'])
  })
  await knex.raw(
    `ALTER TABLE offender_alerts ADD CONSTRAINT offender_alerts_status_check CHECK (status IN ('ACTIVE', 'INACTIVE'))`,
  )
  await knex.raw(
    `ALTER TABLE offenders ADD CONSTRAINT offenders_custody_status_check CHECK (custody_status IN ('IN', 'TRN', 'OUT'))`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('offender_alerts')
  await knex.schema.dropTable('offender_aliases')
  await knex.schema.dropTable('offenders')
  await knex.schema.dropTable('prisons')
  await knex.schema.dropTable('nomis_reference_codes')
}
