import { randomUUID } from 'node:crypto'
import type { Db, Tx } from '../../db/client'
import { londonToday, type Clock } from '../clock'
import type { Logger } from '../log'
import { allocatePrisoner, type PrisonerToAllocate } from './allocatePrisoner'
import { isoDate } from './ledger'
import { DEFAULT_AMOUNTS, DEFAULT_LEVEL, type Amounts } from './rules'

export type AllocationJobDeps = {
  db: Db
  clock: Clock
  log: Logger
  config: {
    visitsMaxVisitOrders: number
    visitsPrisonerAttempts: number
    visitsRetryBackoffMs: number
    visitsJobConcurrency: number
  }
}

export type Progress = {
  prisonStarted?(prisonCode: string, convicted: number): void
  prisonerDone?(prisonCode: string): void
}

export class UnknownPrisonError extends Error {}

const BATCH_SIZE = 500

/** "xx-xx-xx-xx" from the job's id, as the reference shows job references. */
function jobReference(id: string): string {
  return id.replace(/-/g, '').slice(0, 8).match(/../g)!.join('-')
}

export type StartedJob = {
  jobId: string
  allocationJobReference: string
  allocationDate: string
  totalActivePrisons: number
  prisonJobIds: number[]
}

/**
 * Records a job for the date and claims each switched-on prison for it, in the caller's transaction
 * (the HTTP write path's, or the nightly run's own). A prison already claimed for that date (by an
 * earlier run, or a racing instance) is left out: the unique (prison, date) constraint is what
 * makes a second run for a date a no-op. Throws UnknownPrisonError when `prisonCode` is not switched on.
 */
export async function startAllocationJob(
  { tx, clock }: { tx: Tx; clock: Clock },
  options: { date?: string; prisonCode?: string } = {},
): Promise<StartedJob> {
  const allocationDate = options.date ?? londonToday(clock)
  const query = tx('visit_allocation_prisons as v')
    .join('prisons as p', 'p.prison_id', 'v.prison_code')
    .where({ 'v.allocation_enabled': true, 'p.active': true })
    .orderBy('v.prison_code')
    .pluck('v.prison_code')
  if (options.prisonCode) query.where('v.prison_code', options.prisonCode)
  const prisons: string[] = await query
  if (options.prisonCode && prisons.length === 0) {
    throw new UnknownPrisonError(`visit allocation is not switched on for prison ${options.prisonCode}`)
  }
  const id = randomUUID()
  const reference = jobReference(id)
  await tx('visit_allocation_jobs').insert({
    id,
    reference,
    allocation_date: allocationDate,
    total_prisons: 0,
    created_at: clock.now(),
  })
  const claimed: { id: number | string }[] = prisons.length
    ? await tx('visit_allocation_prison_jobs')
        .insert(prisons.map(prison_code => ({ job_id: id, prison_code, allocation_date: allocationDate })))
        .onConflict(['prison_code', 'allocation_date'])
        .ignore()
        .returning('id')
    : []
  await tx('visit_allocation_jobs').where({ id }).update({ total_prisons: claimed.length })
  return {
    jobId: id,
    allocationJobReference: reference,
    allocationDate,
    totalActivePrisons: claimed.length,
    prisonJobIds: claimed.map(c => Number(c.id)),
  }
}

async function amountsByLevel(db: Db, prisonCode: string): Promise<(level: string | null) => Amounts> {
  const rows = await db('visit_incentive_amounts').where({ prison_code: prisonCode })
  const overrides = new Map<string, Amounts>(
    rows.map(r => [r.level_code, { visitOrders: r.visit_orders, privilegedVisitOrders: r.privileged_visit_orders }]),
  )
  return level => {
    const code = level ?? DEFAULT_LEVEL
    return overrides.get(code) ?? DEFAULT_AMOUNTS[code] ?? DEFAULT_AMOUNTS[DEFAULT_LEVEL]!
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Allocates every convicted prisoner in the prison, batch by batch (no cap on their number), each
 * in its own transaction. A prisoner that keeps failing after its retries is counted as failed and
 * the prison carries on. The counts and times are recorded on the prison's job row.
 */
export async function runPrisonJob(deps: AllocationJobDeps, prisonJobId: number, progress: Progress = {}) {
  const { db, clock, log, config } = deps
  const job = await db('visit_allocation_prison_jobs').where({ id: prisonJobId }).first()
  const prisonCode: string = job.prison_code
  const today = isoDate(job.allocation_date)
  // lib/visits/eligibility.ts's rule as a query: convicted and in this prison, which allocates (it was claimed).
  const eligible = () => db('offenders').where({ prison_id: prisonCode, convicted: true, custody_status: 'IN' })
  const started = clock.now()
  await db('visit_allocation_prison_jobs').where({ id: prisonJobId }).update({ start_timestamp: started })
  // "Not due" is a quiet night, apart from "failed or skipped", which needs looking at.
  const counts = { convicted: 0, processed: 0, notDue: 0, failedOrSkipped: 0 }
  let failure: string | null = null
  try {
    const total = await eligible().count<{ count: number }[]>('* as count').first()
    counts.convicted = Number(total?.count ?? 0)
    progress.prisonStarted?.(prisonCode, counts.convicted)
    const amounts = await amountsByLevel(db, prisonCode)
    let after = ''
    for (;;) {
      const batch: { noms_id: string; iep_level_code: string | null }[] = await eligible()
        .where('noms_id', '>', after)
        .orderBy('noms_id')
        .limit(BATCH_SIZE)
        .select('noms_id', 'iep_level_code')
      if (batch.length === 0) break
      after = batch[batch.length - 1]!.noms_id
      // Prisoners are independent (one transaction and one locked ledger each), so a few run side by side.
      let next = 0
      const worker = async () => {
        while (next < batch.length) {
          const row = batch[next++]!
          const prisoner: PrisonerToAllocate = {
            nomsId: row.noms_id,
            prisonId: prisonCode,
            convicted: true,
            level: row.iep_level_code,
          }
          const outcome = await withRetries(config.visitsPrisonerAttempts, config.visitsRetryBackoffMs, () =>
            db.transaction(tx =>
              allocatePrisoner(tx, prisoner, {
                today,
                at: clock.now(),
                max: config.visitsMaxVisitOrders,
                amounts: amounts(row.iep_level_code),
              }),
            ),
          ).catch((err: unknown) => {
            log.error({ err, prisonerId: row.noms_id, prisonCode }, 'visit allocation failed for a prisoner')
            return 'failed' as const
          })
          if (outcome === 'processed') counts.processed += 1
          else if (outcome === 'unchanged') counts.notDue += 1
          else counts.failedOrSkipped += 1
          progress.prisonerDone?.(prisonCode)
        }
      }
      await Promise.all(Array.from({ length: config.visitsJobConcurrency }, worker))
    }
  } catch (err) {
    failure = (err as Error).message
    log.error({ err, prisonCode }, 'visit allocation failed for a prison')
  }
  await db('visit_allocation_prison_jobs').where({ id: prisonJobId }).update({
    end_timestamp: clock.now(),
    convicted_prisoners: counts.convicted,
    processed_prisoners: counts.processed,
    not_due_prisoners: counts.notDue,
    failed_or_skipped_prisoners: counts.failedOrSkipped,
    failure_message: failure,
  })
  log.info({ prisonCode, allocationDate: today, ...counts }, 'visit allocation finished for a prison')
  return counts
}

async function withRetries<T>(attempts: number, backoffMs: number, body: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await body()
    } catch (err) {
      if (attempt >= attempts) throw err
      await sleep(backoffMs * 2 ** (attempt - 1))
    }
  }
}

/** Starts a job for the date (London today by default) and runs every prison it claimed. */
export async function runAllocationJob(
  deps: AllocationJobDeps,
  options: { date?: string; prisonCode?: string } = {},
  progress: Progress = {},
): Promise<StartedJob> {
  const job = await deps.db.transaction(tx => startAllocationJob({ tx, clock: deps.clock }, options))
  for (const id of job.prisonJobIds) await runPrisonJob(deps, id, progress)
  return job
}

export async function jobStatus(db: Db, reference: string) {
  const job = await db('visit_allocation_jobs').where({ reference }).first()
  if (!job) return null
  const prisons = await db('visit_allocation_prison_jobs').where({ job_id: job.id }).orderBy('prison_code')
  return {
    allocationJobReference: job.reference as string,
    allocationDate: isoDate(job.allocation_date),
    totalPrisons: job.total_prisons as number,
    createdTimestamp: (job.created_at as Date).toISOString(),
    prisons: prisons.map(prisonJobView),
  }
}

export function prisonJobView(p: Record<string, unknown>) {
  const time = (v: unknown) => (v ? (v as Date).toISOString() : null)
  return {
    prisonCode: p.prison_code as string,
    allocationDate: isoDate(p.allocation_date as string),
    startTimestamp: time(p.start_timestamp),
    endTimestamp: time(p.end_timestamp),
    convictedPrisoners: p.convicted_prisoners as number | null,
    processedPrisoners: p.processed_prisoners as number | null,
    notDuePrisoners: p.not_due_prisoners as number | null,
    failedOrSkippedPrisoners: p.failed_or_skipped_prisoners as number | null,
    failureMessage: p.failure_message as string | null,
  }
}
