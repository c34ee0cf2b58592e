import { parseArgs } from 'node:util'
import { SingleBar, Presets } from 'cli-progress'
import { systemClock } from '../lib/clock'
import { loadConfig } from '../lib/config'
import { createLogger } from '../lib/log'
import { runAllocationJob, UnknownPrisonError } from '../lib/visits/allocationJob'
import { fail, loadDemoData, openDatabase } from './cli'

const usage = 'usage: npm run visits:allocate -- [--date YYYY-MM-DD] [--prison CODE]'

/** Runs the nightly visit allocation by hand, e.g. for a missed night; a date that already ran is a no-op. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { date: { type: 'string' }, prison: { type: 'string' }, help: { type: 'boolean' } },
  })
  if (values.help) return void console.log(usage)
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) fail(`--date must be YYYY-MM-DD\n${usage}`)
  const config = loadConfig()
  const db = await openDatabase()
  const bar = new SingleBar({ format: '{prison} [{bar}] {value}/{total} prisoners' }, Presets.shades_classic)
  try {
    await loadDemoData(db)
    const deps = { db, clock: systemClock, log: createLogger(process.env.LOG_LEVEL ?? 'warn'), config }
    const job = await runAllocationJob(
      deps,
      { date: values.date, prisonCode: values.prison },
      {
        prisonStarted: (prison, total) => bar.start(total, 0, { prison }),
        prisonerDone: () => {
          bar.increment()
          if (bar.getProgress() >= 1) bar.stop()
        },
      },
    )
    bar.stop()
    const prisons = await db('visit_allocation_prison_jobs').where({ job_id: job.jobId }).orderBy('prison_code')
    console.log(
      JSON.stringify(
        {
          allocationJobReference: job.allocationJobReference,
          allocationDate: job.allocationDate,
          prisons: prisons.map(p => ({
            prisonCode: p.prison_code,
            convicted: p.convicted_prisoners,
            processed: p.processed_prisoners,
            notDue: p.not_due_prisoners,
            failedOrSkipped: p.failed_or_skipped_prisoners,
            failure: p.failure_message,
          })),
        },
        null,
        2,
      ),
    )
    if (job.totalActivePrisons === 0) console.log(`nothing to do: every prison already ran for ${job.allocationDate}`)
  } catch (err) {
    if (err instanceof UnknownPrisonError) fail(err.message)
    throw err
  } finally {
    await db.destroy()
  }
}

void main()
