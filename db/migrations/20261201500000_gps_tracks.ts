import type { Knex } from 'knex'

/**
 * GPS tracks (issue #20). A van reports every few seconds, so `gps_points` is the largest table we
 * keep, and its shape is chosen for that:
 * - no surrogate id: the primary key (journey_id, recorded_at) is the one index. It makes a point
 *   repeated with the same journey and timestamp a no-op (ON CONFLICT DO NOTHING), serves the foreign
 *   key, and hands a journey's track back in time order from one index range scan;
 * - double precision for the coordinates (a float4 is only good to about a metre), real for the
 *   optional speed, heading and accuracy, which are measurements of a few significant digits.
 * Whether a point falls outside its journey's life is not stored: it depends on the journey's start
 * and end events, which may arrive after the points, so it is worked out when the track is read.
 *
 * `gps_quality_reports` keeps each weekly quality report (the reference's `gps-data` job), whole.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gps_points', t => {
    t.uuid('journey_id').notNullable().references('journeys.id')
    t.timestamp('recorded_at', { useTz: true }).notNullable()
    t.double('latitude').notNullable()
    t.double('longitude').notNullable()
    t.timestamp('received_at', { useTz: true }).notNullable()
    t.specificType('speed', 'real')
    t.specificType('heading', 'real')
    t.specificType('accuracy', 'real')
    t.text('vehicle_reg')
    t.primary(['journey_id', 'recorded_at'])
  })
  await knex.raw(
    `alter table gps_points add constraint gps_points_position_check
       check (latitude between -90 and 90 and longitude between -180 and 180)`,
  )
  await knex.schema.createTable('gps_quality_reports', t => {
    t.uuid('id').primary()
    t.date('date_from').notNullable()
    t.date('date_to').notNullable()
    t.integer('moves').notNullable()
    t.integer('passing').notNullable()
    t.double('pass_rate')
    t.jsonb('report').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable()
    t.index(['created_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('gps_quality_reports')
  await knex.schema.dropTable('gps_points')
}
