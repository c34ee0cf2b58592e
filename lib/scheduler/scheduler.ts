import cron, { type ScheduledTask } from 'node-cron'
import { isEmbedded, type Db } from '../../db/client'
import type { Logger } from '../log'

export type Job = {
  /** Unique name; also the advisory lock's key. */
  name: string
  /** A node-cron expression, evaluated in Europe/London. */
  schedule: string
  run: () => Promise<void>
  /** Frequent jobs log their runs at debug level only. */
  quiet?: boolean
}

export type JobOutcome = 'ran' | 'skipped' | 'failed'

/** A job's last run in this process, for /health: when it started (ISO 8601) and how it ended. */
export type JobRun = { lastRun: string; outcome: JobOutcome }

/** Last runs by job name; shared between the scheduler that writes it and the health check that reads it. */
export type JobRuns = Map<string, JobRun>

type RawConnection = { query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> }

/**
 * Runs jobs in this process on their cron schedules. Each run first takes a Postgres advisory
 * lock named after the job, so that of several instances sharing a database only one runs it;
 * the others skip that tick. Jobs derive their work from the database, so a skipped or missed
 * tick converges on the next one.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = []
  private readonly running = new Set<string>()

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly jobs: Job[],
    private readonly runs: JobRuns = new Map(),
  ) {
    const names = new Set(jobs.map(j => j.name))
    if (names.size !== jobs.length) throw new Error('job names must be unique')
    for (const job of jobs) if (!cron.validate(job.schedule)) throw new Error(`invalid schedule for ${job.name}`)
  }

  start(): void {
    for (const job of this.jobs) {
      this.tasks.push(
        cron.schedule(job.schedule, () => this.runNow(job.name).then(() => undefined), {
          name: job.name,
          timezone: 'Europe/London',
          noOverlap: true,
        }),
      )
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy()
  }

  async runNow(name: string): Promise<JobOutcome> {
    const job = this.jobs.find(j => j.name === name)
    if (!job) throw new Error(`unknown job ${name}`)
    // PGlite has a single session in which advisory locks are re-entrant, so within this process
    // the set below is what keeps one job from overlapping itself.
    if (this.running.has(name)) return 'skipped'
    this.running.add(name)
    const lastRun = new Date().toISOString()
    try {
      const outcome = await this.withLock(name, async () => {
        const started = Date.now()
        try {
          await job.run()
          this.log[job.quiet ? 'debug' : 'info']({ job: name, ms: Date.now() - started }, 'scheduled job finished')
          return 'ran' as const
        } catch (err) {
          this.log.error({ job: name, reason: (err as Error)?.message ?? String(err), err }, 'scheduled job failed')
          return 'failed' as const
        }
      })
      this.runs.set(name, { lastRun, outcome })
      return outcome
    } finally {
      this.running.delete(name)
    }
  }

  private async withLock(name: string, body: () => Promise<JobOutcome>): Promise<JobOutcome> {
    const lockKey = `secure-move:job:${name}`
    if (isEmbedded(this.db)) {
      const { rows } = await this.db.raw('SELECT pg_try_advisory_lock(hashtext(?)) AS locked', [lockKey])
      if (!rows[0]?.locked) return 'skipped'
      try {
        return await body()
      } finally {
        await this.db.raw('SELECT pg_advisory_unlock(hashtext(?))', [lockKey])
      }
    }
    // A session lock lives on one connection: hold a dedicated one for the whole run, while the
    // job's own queries use the rest of the pool.
    const connection = (await this.db.client.acquireConnection()) as RawConnection
    try {
      const { rows } = await connection.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey])
      if (!rows[0]?.locked) return 'skipped'
      try {
        return await body()
      } finally {
        await connection.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
      }
    } finally {
      await this.db.client.releaseConnection(connection)
    }
  }
}
