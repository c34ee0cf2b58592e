import { expect } from 'chai'
import { createLogger } from '../../lib/log'
import { scheduledJobs } from '../../lib/scheduler/jobs'
import { Scheduler, type Job } from '../../lib/scheduler/scheduler'
import { testServices } from '../support/app'
import { onPostgres, secondConnection, testDb } from '../support/db'

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

  it('refuses an invalid schedule', async () => {
    const db = await testDb()
    expect(() => new Scheduler(db, log, [{ name: 'x', schedule: 'every tuesday', run: async () => {} }])).to.throw(
      /invalid schedule/,
    )
  })

  it('registers the idempotency reaper, which deletes keys older than 24 hours', async () => {
    const services = await testServices()
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
