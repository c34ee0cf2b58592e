import type { Knex } from 'knex'

/**
 * Assessments (issue #15; reference §2.2): person escort records and youth risk assessments, built
 * from a framework version (20261202100000_frameworks).
 *
 * - `assessments`: both kinds in one table, told apart by `kind` (the reference keeps two tables of
 *   the same shape; one lets a response name its assessment with a real foreign key instead of a
 *   polymorphic pair). One assessment of each kind per profile (unique). `move_id` is optional on a
 *   person escort record and required on a youth risk assessment, as in the reference.
 *   `section_progress` is `[{key, status}]`, worked out on every write so that lists need not load the
 *   responses; `nomis_sync_status` is `[{resource_type, status, synced_at, message}]`; the handover
 *   columns and `amended_at` are written only for person escort records. `prefill_source_id` is the
 *   person's earlier confirmed assessment of the same kind the answers were copied from.
 * - `framework_responses`: one per question of the framework but the children of an
 *   `add_multiple_items` question (answered inside each item). `value` is the answer as JSON (null
 *   until answered), shaped by `value_type` (reference §2.4); `section` is the question's.
 * - `framework_response_flags`: the flags a response raises now (worked out on every write).
 * - `framework_response_nomis_mappings`: the NOMIS facts that prefilled a response.
 * - `notifications.assessment_id`: the assessment a notification is about (its webhook links it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assessments', t => {
    t.uuid('id').primary()
    t.text('kind').notNullable()
    t.uuid('framework_id').notNullable().references('frameworks.id')
    t.uuid('profile_id').notNullable().references('profiles.id')
    t.uuid('move_id').references('moves.id')
    t.uuid('prefill_source_id').references('assessments.id')
    t.text('status').notNullable().defaultTo('not_started')
    t.jsonb('section_progress').notNullable().defaultTo('[]')
    t.jsonb('nomis_sync_status').notNullable().defaultTo('[]')
    t.jsonb('handover_details').notNullable().defaultTo('{}')
    t.timestamp('handover_occurred_at', { useTz: true })
    t.timestamp('completed_at', { useTz: true })
    t.timestamp('confirmed_at', { useTz: true })
    t.timestamp('amended_at', { useTz: true })
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.timestamp('updated_at', { useTz: true }).notNullable()
    t.unique(['profile_id', 'kind'])
    t.index(['move_id'])
  })
  await knex.raw(
    `alter table assessments add constraint assessments_kind_check
       check (kind in ('person_escort_record', 'youth_risk_assessment'))`,
  )
  await knex.raw(
    `alter table assessments add constraint assessments_status_check
       check (status in ('not_started', 'in_progress', 'completed', 'confirmed'))`,
  )
  await knex.raw(
    `alter table assessments add constraint assessments_move_check
       check (kind = 'person_escort_record' or move_id is not null)`,
  )

  await knex.schema.createTable('framework_responses', t => {
    t.uuid('id').primary()
    t.uuid('assessment_id').notNullable().references('assessments.id')
    t.uuid('framework_question_id').notNullable().references('framework_questions.id')
    t.text('section').notNullable()
    t.text('value_type').notNullable()
    t.jsonb('value')
    t.boolean('responded').notNullable().defaultTo(false)
    t.boolean('prefilled').notNullable().defaultTo(false)
    t.text('responded_by')
    t.timestamp('responded_at', { useTz: true })
    t.unique(['assessment_id', 'framework_question_id'])
  })

  await knex.schema.createTable('framework_response_flags', t => {
    t.uuid('framework_response_id').notNullable().references('framework_responses.id').onDelete('cascade')
    t.uuid('framework_flag_id').notNullable().references('framework_flags.id')
    t.primary(['framework_response_id', 'framework_flag_id'])
  })

  await knex.schema.createTable('framework_response_nomis_mappings', t => {
    t.uuid('framework_response_id').notNullable().references('framework_responses.id').onDelete('cascade')
    t.uuid('framework_nomis_mapping_id').notNullable().references('framework_nomis_mappings.id')
    t.primary(['framework_response_id', 'framework_nomis_mapping_id'])
  })

  await knex.schema.alterTable('notifications', t => {
    t.uuid('assessment_id').references('assessments.id')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', t => {
    t.dropColumn('assessment_id')
  })
  await knex.schema.dropTable('framework_response_nomis_mappings')
  await knex.schema.dropTable('framework_response_flags')
  await knex.schema.dropTable('framework_responses')
  await knex.schema.dropTable('assessments')
}
