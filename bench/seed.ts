import { parseArgs } from 'node:util'
import { migrate } from '../db/client'
import { loadDemoData } from '../scripts/cli'
import {
  BENCH_DATABASE_URL,
  benchDb,
  DAYS,
  ensureBenchDatabase,
  FIRST_DAY,
  QUEUE_SCHEMA,
  TRANSITION_DAY,
} from './database'

const usage = 'usage: npm run bench:seed -- [--moves N] [--transition-moves N]'

/**
 * Loads a realistic data set into the benchmark database (BENCH_DATABASE_URL, default the `bench`
 * database on the local PostgreSQL, created if missing), replacing what was there: the demo data,
 * 200 more locations, N moves over a year (half of them in allocations of 4), a profile for each
 * move, a person for every two, a MoveRequested event each, 1,000 prisoner records with alerts,
 * and a day of requested moves for the transition scenario. Everything is set-based SQL.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      moves: { type: 'string', default: '100000' },
      'transition-moves': { type: 'string', default: '20000' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return void console.log(usage)
  await seed({ moves: Number(values.moves), transitionMoves: Number(values['transition-moves']) })
}

/** Replaces the benchmark database's contents with `moves` moves over a year and a day of `transitionMoves`. */
export async function seed({ moves, transitionMoves }: { moves: number; transitionMoves: number }): Promise<void> {
  if (!Number.isInteger(moves) || moves < 8 || !Number.isInteger(transitionMoves) || transitionMoves < 0) {
    throw new Error(usage)
  }
  await ensureBenchDatabase()
  const db = benchDb()
  const started = Date.now()
  // The parameters are validated integers and constant dates, written into the SQL so that
  // Postgres sees their types (bound parameters of generate_series arithmetic would be unknown).
  const step = async (label: string, sql: string, params: Record<string, number | string> = {}) => {
    const at = Date.now()
    const text = sql.replace(/(?<![:\w]):(\w+)/g, (_, name: string) => {
      const value = params[name]
      if (value === undefined) throw new Error(`no value for :${name}`)
      return typeof value === 'number' ? String(value) : `'${value}'`
    })
    await db.raw(text)
    console.log(`${label}: ${((Date.now() - at) / 1000).toFixed(1)} s`)
  }
  try {
    await db.raw(`DROP SCHEMA IF EXISTS ${QUEUE_SCHEMA} CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public`)
    await migrate(db)
    await loadDemoData(db)
    const people = Math.ceil(moves / 2)
    const allocated = Math.floor(moves / 8) * 4
    const params = { moves, people, allocated, transitionMoves, firstDay: FIRST_DAY, days: DAYS }

    await step(
      'locations',
      `insert into locations (id, key, title, location_type, nomis_agency_id)
       select md5('bench-location-' || i)::uuid, 'bench_location_' || i,
              case when i % 2 = 0 then 'HMP Bench ' || i else 'Bench Crown Court ' || i end,
              (case when i % 2 = 0 then 'prison' else 'court' end)::location_type, 'BN' || i
       from generate_series(1, 200) i;
       insert into locations_suppliers (location_id, supplier_id)
       select md5('bench-location-' || i)::uuid,
              (select id from suppliers where key = case when i % 3 = 0 then 'geoamey' else 'serco' end)
       from generate_series(1, 200) i`,
    )
    await step(
      'people',
      `insert into people (id, first_names, last_name, date_of_birth, prison_number, police_national_computer)
       select md5('bench-person-' || i)::uuid, 'BENCH', 'PERSON ' || i, date '1980-01-01' + (i % 9000),
              'B' || lpad(i::text, 6, '0'), '20/' || i || 'B'
       from generate_series(1, :people) i`,
      params,
    )
    await step(
      'profiles',
      `with answers as (
         select coalesce(jsonb_agg(jsonb_build_object(
           'title', q.title, 'comments', 'bench', 'created_at', '2026-01-01', 'expires_at', null,
           'assessment_question_id', q.id, 'category', q.category, 'key', q.key,
           'nomis_alert_type', null, 'nomis_alert_code', null, 'nomis_alert_type_description', null,
           'nomis_alert_description', null, 'imported_from_nomis', false)), '[]') as value
         from (select * from assessment_questions order by key limit 2) q)
       insert into profiles (id, person_id, assessment_answers)
       select md5('bench-profile-' || i)::uuid, md5('bench-person-' || (1 + i % :people))::uuid, answers.value
       from generate_series(1, :moves + :transitionMoves) i, answers`,
      params,
    )
    await step(
      'allocations',
      `insert into allocations (id, from_location_id, to_location_id, date, moves_count, estate, status)
       select md5('bench-allocation-' || a)::uuid,
              md5('bench-location-' || (2 + 2 * (a % 50)))::uuid, md5('bench-location-' || (4 + 2 * (a % 47)))::uuid,
              date :firstDay + (a - 1) % :days, 4, 'adult_male', 'filled'
       from generate_series(1, :allocated / 4) a`,
      params,
    )
    await step(
      'moves',
      `insert into moves (id, reference, status, move_type, date, from_location_id, to_location_id, supplier_id,
                          profile_id, allocation_id, created_at, updated_at)
       select md5('bench-move-' || i)::uuid, 'BM' || lpad(i::text, 8, '0'),
              case when i <= :allocated then (array['requested', 'booked'])[1 + i % 2]
                   else (array['requested', 'booked', 'booked', 'in_transit', 'completed', 'completed',
                               'completed', 'cancelled'])[1 + i % 8] end,
              case when i <= :allocated then 'prison_transfer' else 'court_appearance' end,
              date :firstDay + ((i - 1) / 4) % :days,
              case when i <= :allocated then md5('bench-location-' || (2 + 2 * (((i - 1) / 4 + 1) % 50)))::uuid
                   else md5('bench-location-' || (2 + 2 * (i % 100)))::uuid end,
              case when i <= :allocated then md5('bench-location-' || (4 + 2 * (((i - 1) / 4 + 1) % 47)))::uuid
                   else md5('bench-location-' || (1 + 2 * (i % 100)))::uuid end,
              (select id from suppliers where key = case when i % 3 = 0 then 'geoamey' else 'serco' end),
              md5('bench-profile-' || i)::uuid,
              case when i <= :allocated then md5('bench-allocation-' || ((i - 1) / 4 + 1))::uuid end,
              timestamptz '2026-01-01T09:00:00Z' + i * interval '1 second',
              timestamptz '2026-01-01T09:00:00Z' + i * interval '1 second'
       from generate_series(1, :moves) i;
       insert into moves (id, reference, status, move_type, date, from_location_id, to_location_id, supplier_id,
                          profile_id)
       select md5('bench-transition-move-' || i)::uuid, 'BT' || lpad(i::text, 8, '0'), 'requested',
              'court_appearance', date :transitionDay,
              md5('bench-location-' || (2 + 2 * (i % 100)))::uuid, md5('bench-location-' || (1 + 2 * (i % 100)))::uuid,
              (select id from suppliers where key = 'serco'), md5('bench-profile-' || (:moves + i))::uuid
       from generate_series(1, :transitionMoves) i`,
      { ...params, transitionDay: TRANSITION_DAY },
    )
    await step(
      'move events',
      `insert into move_events (move_id, eventable_type, eventable_id, event_type, occurred_at, recorded_at, to_status)
       select id, 'moves', id, 'MoveRequested', created_at, created_at, 'requested' from moves`,
    )
    await step(
      'prisoner records',
      `insert into offenders (noms_id, given_name, surname, date_of_birth, prison_id)
       select 'B' || lpad(i::text, 4, '0') || 'BE', 'BENCH', 'PERSON ' || i, date '1980-01-01' + (i % 9000),
              (select prison_id from prisons order by prison_id limit 1)
       from generate_series(1, 1000) i;
       insert into offender_bookings (noms_id, booking_no, active, start_date, prison_id)
       select 'B' || lpad(i::text, 4, '0') || 'BE', 'BENCH' || lpad(i::text, 4, '0'), true, date '2025-01-01',
              (select prison_id from prisons order by prison_id limit 1)
       from generate_series(1, 1000) i;
       insert into offender_alerts (noms_id, alert_type, alert_code, alert_date, status, comment)
       select 'B' || lpad(i::text, 4, '0') || 'BE', (array['X', 'R', 'H'])[1 + j], (array['XA', 'RSS', 'HA'])[1 + j],
              date '2025-01-01' + j, case when j = 2 then 'INACTIVE' else 'ACTIVE' end, 'bench alert'
       from generate_series(1, 1000) i, generate_series(0, 2) j`,
    )
    // Autovacuum would get there on a live database: the visibility map lets a count read the index only.
    await step('vacuum analyze', 'vacuum analyze')
    const counts = await db.raw(
      `select (select count(*) from moves) as moves, (select count(*) from people) as people,
              (select count(*) from profiles) as profiles, (select count(*) from allocations) as allocations,
              (select count(*) from locations) as locations`,
    )
    const host = new URL(BENCH_DATABASE_URL)
    console.log(
      `loaded into ${host.host}${host.pathname} in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
      JSON.stringify(counts.rows[0]),
    )
  } finally {
    await db.destroy()
  }
}

if (require.main === module) {
  main().catch(err => {
    console.error(err)
    process.exit(1)
  })
}
