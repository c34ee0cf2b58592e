import os from 'node:os'
import { createDb, type Db } from '../db/client'

/**
 * A common table expression `answers(value)`: two assessment answers given by hand (to the first two
 * questions by key), as a profile's `assessment_answers` jsonb, for the profiles a benchmark loads.
 */
export const BENCH_ANSWERS = `answers as (
         select coalesce(jsonb_agg(jsonb_build_object(
           'title', q.title, 'comments', 'bench', 'created_at', '2026-01-01', 'expires_at', null,
           'assessment_question_id', q.id, 'category', q.category, 'key', q.key,
           'nomis_alert_type', null, 'nomis_alert_code', null, 'nomis_alert_type_description', null,
           'nomis_alert_description', null, 'imported_from_nomis', false)), '[]') as value
         from (select * from assessment_questions order by key limit 2) q)`

/** The line a benchmark run ends with: the database it ran on, the CPUs and their load average. */
export function machineLine(): string {
  const load = os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ')
  return `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; ${os.cpus().length} CPUs, load average ${load}`
}

/** The benchmark's own database, so that loading 100,000 moves touches nothing else. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench'

/** The first of the days the moves spread over; the benchmark lists one of them. */
export const FIRST_DAY = '2027-01-01'
export const DAYS = 365
/** The day of the requested moves that the accept -> start -> complete scenario uses up. */
export const TRANSITION_DAY = '2026-06-01'
export const QUEUE_SCHEMA = 'pgboss'

/** Creates the benchmark database on its server when it is missing. */
export async function ensureBenchDatabase(): Promise<void> {
  const url = new URL(BENCH_DATABASE_URL)
  const name = url.pathname.slice(1)
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a plain database, got "${name}"`)
  const serverUrl = new URL(BENCH_DATABASE_URL)
  serverUrl.pathname = '/postgres'
  const server = createDb({ databaseUrl: serverUrl.toString(), poolMax: 1 })
  try {
    const found = await server.raw('select 1 from pg_database where datname = ?', [name])
    if (!found.rows.length) await server.raw(`CREATE DATABASE ${name}`)
  } finally {
    await server.destroy()
  }
}

export function benchDb(): Db {
  return createDb({ databaseUrl: BENCH_DATABASE_URL, poolMax: 4, statementTimeoutMs: 600_000 })
}
