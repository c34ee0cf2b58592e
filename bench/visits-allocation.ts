import { randomBytes } from 'node:crypto'
import { createDb, migrate } from '../db/client'
import { fixedClock } from '../lib/clock'
import { loadConfig } from '../lib/config'
import { createLogger } from '../lib/log'
import { runAllocationJob } from '../lib/visits/allocationJob'
import { addDays } from '../lib/calendar'

/**
 * How long the nightly job takes for one prison of N convicted prisoners (10,000 by default), on
 * the PostgreSQL of DATABASE_URL, in a throwaway schema: the first allocation, the next night
 * (nothing due) and the day-14 allocation.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('set DATABASE_URL to a PostgreSQL database to measure on')
  const prisoners = Number(process.env.PRISONERS ?? 10_000)
  const schema = `bench_${randomBytes(4).toString('hex')}`
  const db = createDb({ databaseUrl, schema })
  const config = loadConfig()
  try {
    await migrate(db)
    await db('prisons').insert({ prison_id: 'BENCH', description: 'Benchmark prison' })
    await db('visit_allocation_prisons').insert({ prison_code: 'BENCH', allocation_enabled: true })
    const levels = ['BAS', 'STD', 'STD', 'STD', 'ENH']
    await db.batchInsert(
      'offenders',
      Array.from({ length: prisoners }, (_, i) => ({
        noms_id: `B${String(i).padStart(6, '0')}`,
        given_name: 'Bench',
        surname: 'Prisoner',
        date_of_birth: '1990-01-01',
        convicted: true,
        iep_level_code: levels[i % levels.length],
        prison_id: 'BENCH',
      })),
      1000,
    )
    const day0 = '2026-01-05'
    for (const [label, date] of [
      ['first allocation', day0],
      ['next night, nothing due', addDays(day0, 1)],
      ['day 14 allocation', addDays(day0, 14)],
    ] as const) {
      const deps = { db, clock: fixedClock(`${date}T01:00:00Z`), log: createLogger('warn'), config }
      const started = process.hrtime.bigint()
      const job = await runAllocationJob(deps, { prisonCode: 'BENCH' })
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const row = await db('visit_allocation_prison_jobs').where({ job_id: job.jobId }).first()
      console.log(
        `${label} (${date}): ${seconds.toFixed(1)} s for ${row.convicted_prisoners} prisoners, ` +
          `${row.processed_prisoners} processed, ${row.not_due_prisoners} not due, ` +
          `${row.failed_or_skipped_prisoners} failed or skipped ` +
          `(${Math.round(row.convicted_prisoners / seconds)} prisoners/s)`,
      )
    }
  } finally {
    await db.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await db.destroy()
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})
