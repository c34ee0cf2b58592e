import type { Knex } from 'knex'

/**
 * Assessment frameworks (issue #15): the versioned question sets a person escort record or a youth
 * risk assessment is built from. The definitions are files in the repository
 * (`frameworks/<name>/<version>/`), loaded at start by lib/assessments/frameworkLoader.ts; a loaded
 * version is never changed, so these rows are written once and only read after.
 *
 * - `frameworks`: one row per (name, version). `digest` is the SHA-256 of the version's parsed
 *   definition, so that a start with edited files for a version already loaded can be refused.
 * - `framework_questions`: one row per question of a version. A dependent question has `parent_id`;
 *   it is shown when the parent has `dependent_value` selected, and for the children of an
 *   `add_multiple_items` question (answered inside each item) `dependent_value` is null. `position`
 *   is the question's place in the whole framework (sections in order, a parent before its dependents).
 *   `options` and `followup_comment_options` are JSON arrays of strings.
 * - `framework_flags`: a flag raised on a response when its question has `question_value` selected.
 * - `framework_nomis_codes`: the NOMIS codes (alerts, personal care needs, ...) that prefill a question;
 *   a `fallback` row (code null) takes the codes of its type that no question names.
 * - `framework_nomis_mappings`: NOMIS facts imported for an assessment (the assessments' prefill links
 *   them to responses).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('frameworks', t => {
    t.uuid('id').primary()
    t.text('name').notNullable()
    t.text('version').notNullable()
    t.text('digest').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.unique(['name', 'version'])
  })
  await knex.raw(
    `alter table frameworks add constraint frameworks_name_check
       check (name in ('person-escort-record', 'youth-risk-assessment'))`,
  )
  await knex.raw(
    `alter table frameworks add constraint frameworks_version_check check (version ~ '^\\d+\\.\\d+\\.\\d+$')`,
  )

  await knex.schema.createTable('framework_questions', t => {
    t.uuid('id').primary()
    t.uuid('framework_id').notNullable().references('frameworks.id')
    t.text('key').notNullable()
    t.text('section').notNullable()
    t.text('question_type').notNullable()
    t.jsonb('options').notNullable().defaultTo('[]')
    t.boolean('required').notNullable().defaultTo(false)
    t.boolean('prefill').notNullable().defaultTo(false)
    t.uuid('parent_id').references('framework_questions.id')
    t.text('dependent_value')
    t.boolean('followup_comment').notNullable().defaultTo(false)
    t.jsonb('followup_comment_options').notNullable().defaultTo('[]')
    t.integer('position').notNullable()
    t.unique(['framework_id', 'key'])
    t.index(['parent_id'])
  })
  await knex.raw(
    `alter table framework_questions add constraint framework_questions_type_check
       check (question_type in ('radio', 'checkbox', 'text', 'textarea', 'add_multiple_items'))`,
  )

  await knex.schema.createTable('framework_flags', t => {
    t.uuid('id').primary()
    t.uuid('framework_question_id').notNullable().references('framework_questions.id')
    t.text('flag_type').notNullable()
    t.text('title').notNullable()
    t.text('question_value').notNullable()
    t.index(['framework_question_id'])
  })
  await knex.raw(
    `alter table framework_flags add constraint framework_flags_type_check
       check (flag_type in ('information', 'attention', 'warning', 'alert'))`,
  )

  await knex.schema.createTable('framework_nomis_codes', t => {
    t.uuid('id').primary()
    t.uuid('framework_question_id').notNullable().references('framework_questions.id')
    t.text('code_type').notNullable()
    t.text('code')
    t.boolean('fallback').notNullable().defaultTo(false)
    t.index(['framework_question_id'])
  })
  await knex.raw(
    `alter table framework_nomis_codes add constraint framework_nomis_codes_type_check
       check (code_type in ('alert', 'assessment', 'contact', 'personal_care_need', 'reasonable_adjustment'))`,
  )
  await knex.raw(
    `alter table framework_nomis_codes add constraint framework_nomis_codes_code_check
       check ((fallback and code is null) or (not fallback and code is not null))`,
  )

  await knex.schema.createTable('framework_nomis_mappings', t => {
    t.uuid('id').primary()
    t.text('code').notNullable()
    t.text('code_type').notNullable()
    t.text('code_description')
    t.text('comments')
    t.date('start_date')
    t.date('end_date')
    t.date('creation_date')
    t.date('expiry_date')
    t.date('approval_date')
    t.date('next_review_date')
    t.jsonb('raw_nomis_mapping').notNullable().defaultTo('{}')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw(
    `alter table framework_nomis_mappings add constraint framework_nomis_mappings_type_check
       check (code_type in ('alert', 'assessment', 'contact', 'personal_care_need', 'reasonable_adjustment'))`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('framework_nomis_mappings')
  await knex.schema.dropTable('framework_nomis_codes')
  await knex.schema.dropTable('framework_flags')
  await knex.schema.dropTable('framework_questions')
  await knex.schema.dropTable('frameworks')
}
