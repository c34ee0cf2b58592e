import { Writable } from 'node:stream'
import { expect } from 'chai'
import { createLogger } from '../../lib/log'
import { scheduledJobs } from '../../lib/scheduler/jobs'
import { Scheduler, type Job, type JobRuns } from '../../lib/scheduler/scheduler'
import { onPostgres, secondConnection, testDb } from '../support/db'
import { testWorld } from '../support/world'

const log = createLogger('silent')

function slowJob(runs: { count: number }): Job {
  return {
    name: 'slow-test-job',
    schedule: '0 3 * * *',
    run: async () => {
      runs.count += 1
      await new Promise(resolve => setTimeout(resolve, 300))
    },
  }
}

describe('The in-process scheduler', () => {
  it('does not overlap a job with itself within one process', async () => {
    const runs = { count: 0 }
    const scheduler = new Scheduler(await testDb(), log, [slowJob(runs)])
    const outcomes = await Promise.all([scheduler.runNow('slow-test-job'), scheduler.runNow('slow-test-job')])
    expect(outcomes.sort()).to.deep.equal(['ran', 'skipped'])
    expect(runs.count).to.equal(1)
  })

  it('reports a failing job as failed and keeps going', async () => {
    const scheduler = new Scheduler(await testDb(), log, [
      { name: 'failing', schedule: '0 3 * * *', run: async () => Promise.reject(new Error('boom')) },
    ])
    expect(await scheduler.runNow('failing')).to.equal('failed')
    expect(await scheduler.runNow('failing')).to.equal('failed')
  })

  it('when a job fails, then one log line names it with the reason, and its last run is kept for /health', async () => {
    const lines: string[] = []
    const capture = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }),
    )
    const runs: JobRuns = new Map()
    const scheduler = new Scheduler(
      await testDb(),
      capture,
      [{ name: 'failing', schedule: '0 3 * * *', run: async () => Promise.reject(new Error('boom')) }],
      runs,
    )
    await scheduler.runNow('failing')
    const failures = lines.map(line => JSON.parse(line)).filter(entry => entry.msg === 'scheduled job failed')
    expect(failures).to.have.length(1)
    expect(failures[0]).to.include({ job: 'failing', reason: 'boom' })
    expect(runs.get('failing')?.outcome).to.equal('failed')
  })

  it('refuses an invalid schedule', async () => {
    const db = await testDb()
    expect(() => new Scheduler(db, log, [{ name: 'x', schedule: 'every tuesday', run: async () => {} }])).to.throw(
      /invalid schedule/,
    )
  })

  it('registers the idempotency reaper, which deletes keys older than 24 hours', async () => {
    const { services } = await testWorld()
    const jobs = scheduledJobs(services)
    expect(jobs.map(j => j.name)).to.include('reap-idempotency-keys')
    const client = await services.db('api_clients').first('id')
    const key = crypto.randomUUID()
    await services.db('idempotency_keys').insert({
      api_client_id: client.id,
      key,
      fingerprint: 'x',
      method: 'POST',
      path: '/api/x',
      created_at: new Date(Date.now() - 25 * 3600_000),
    })
    expect(await new Scheduler(services.db, log, jobs).runNow('reap-idempotency-keys')).to.equal('ran')
    expect(await services.db('idempotency_keys').where({ key }).first()).to.equal(undefined)
  })

  ;(onPostgres ? describe : describe.skip)('with two instances on one PostgreSQL database', () => {
    it('runs a job once when both schedulers fire together', async () => {
      const runs = { count: 0 }
      const other = secondConnection()
      try {
        const first = new Scheduler(await testDb(), log, [slowJob(runs)])
        const second = new Scheduler(other, log, [slowJob(runs)])
        const outcomes = await Promise.all([first.runNow('slow-test-job'), second.runNow('slow-test-job')])
        expect(outcomes.sort()).to.deep.equal(['ran', 'skipped'])
        expect(runs.count).to.equal(1)
        expect(await second.runNow('slow-test-job')).to.equal('ran')
      } finally {
        await other.destroy()
      }
    })
  })
})
