import { expect } from 'chai'
import { fixedClock } from '../../lib/clock'
import { createLogger } from '../../lib/log'
import { allocatePrisoner } from '../../lib/visits/allocatePrisoner'
import { runAllocationJob, type AllocationJobDeps } from '../../lib/visits/allocationJob'
import { detailedBalance } from '../../lib/visits/queries'
import { addDays } from '../../lib/calendar'
import { scheduledJobs } from '../../lib/scheduler/jobs'
import { Scheduler } from '../../lib/scheduler/scheduler'
import { testServices } from '../support/app'
import { onPostgres, secondConnection, testDb } from '../support/db'
import { testPrison, testPrisoner } from './support'

const DAY0 = '2026-01-05'
const config = { visitsMaxVisitOrders: 26, visitsPrisonerAttempts: 3, visitsRetryBackoffMs: 1, visitsJobConcurrency: 4 }

type Step = {
  day: number
  before?: (ctx: { prisonerId: string; deps: AllocationJobDeps }) => Promise<void>
  expect: { vo: number; pvo: number; accumulated?: number; negative?: number }
}

async function depsAt(date: string): Promise<AllocationJobDeps & { clock: ReturnType<typeof fixedClock> }> {
  // 02:00 UTC is the small hours in London in both winter and summer.
  return { db: await testDb(), clock: fixedClock(`${date}T02:00:00Z`), log: createLogger('silent'), config }
}

async function seedOrders(prisonerId: string, rows: { type: string; status: string; created: string }[]) {
  const db = await testDb()
  await db('visit_orders').insert(
    rows.map(r => ({ prisoner_id: prisonerId, type: r.type, status: r.status, created_date: r.created })),
  )
}

const scenarios: { name: string; level?: string; convicted?: boolean; steps: Step[] }[] = [
  {
    name: 'first allocation gives a Standard prisoner 2 VOs and 1 PVO at once',
    steps: [{ day: 0, expect: { vo: 2, pvo: 1 } }],
  },
  {
    name: 'nothing more is due before day 14',
    steps: [
      { day: 0, expect: { vo: 2, pvo: 1 } },
      { day: 7, expect: { vo: 2, pvo: 1 } },
      { day: 13, expect: { vo: 2, pvo: 1 } },
    ],
  },
  {
    name: 'day 14 adds VOs only; day 28 adds VOs and a PVO, accumulates old VOs and expires the old PVO',
    steps: [
      { day: 0, expect: { vo: 2, pvo: 1 } },
      { day: 14, expect: { vo: 4, pvo: 1, accumulated: 0 } },
      { day: 28, expect: { vo: 6, pvo: 1, accumulated: 2 } },
      { day: 42, expect: { vo: 8, pvo: 1, accumulated: 4 } },
    ],
  },
  {
    name: 'accumulated VOs stop at the cap of 26, the oldest expiring to make room',
    steps: [
      {
        day: 0,
        before: async ({ prisonerId }) => {
          const db = await testDb()
          await db('visit_prisoners').insert({
            prisoner_id: prisonerId,
            last_vo_allocated_date: addDays(DAY0, -14),
            last_pvo_allocated_date: addDays(DAY0, -10),
          })
          await seedOrders(
            prisonerId,
            Array.from({ length: 25 }, (_, i) => ({
              type: 'VO',
              status: 'ACCUMULATED',
              created: addDays(DAY0, -60 + i),
            })),
          )
        },
        expect: { vo: 26, pvo: 0, accumulated: 24 },
      },
      { day: 14, expect: { vo: 26, pvo: 0, accumulated: 22 } },
      { day: 28, expect: { vo: 26, pvo: 1, accumulated: 22 } },
    ],
  },
  {
    name: 'debt is repaid before new orders are added',
    steps: [
      {
        day: 0,
        before: async ({ prisonerId }) => {
          const db = await testDb()
          await db('visit_prisoners').insert({
            prisoner_id: prisonerId,
            last_vo_allocated_date: addDays(DAY0, -14),
            last_pvo_allocated_date: addDays(DAY0, -1),
          })
          await db('negative_visit_orders').insert(
            [1, 2, 3].map(i => ({
              prisoner_id: prisonerId,
              type: 'VO',
              status: 'USED',
              created_date: addDays(DAY0, -i),
            })),
          )
        },
        expect: { vo: -1, pvo: 0, negative: 1 },
      },
      { day: 7, expect: { vo: -1, pvo: 0, negative: 1 } },
      { day: 14, expect: { vo: 1, pvo: 0, negative: 0 } },
    ],
  },
  {
    name: 'a remand prisoner earns nothing',
    convicted: false,
    steps: [
      { day: 0, expect: { vo: 0, pvo: 0 } },
      { day: 14, expect: { vo: 0, pvo: 0 } },
    ],
  },
  {
    name: 'an incentive change applies from the next due date',
    steps: [
      { day: 0, expect: { vo: 2, pvo: 1 } },
      {
        day: 10,
        before: async ({ prisonerId }) => {
          await (await testDb())('offenders').where({ noms_id: prisonerId }).update({ iep_level_code: 'ENH' })
        },
        expect: { vo: 2, pvo: 1 },
      },
      { day: 14, expect: { vo: 5, pvo: 1 } },
      {
        day: 20,
        before: async ({ prisonerId }) => {
          await (await testDb())('offenders').where({ noms_id: prisonerId }).update({ iep_level_code: 'BAS' })
        },
        expect: { vo: 5, pvo: 1 },
      },
      { day: 28, expect: { vo: 6, pvo: 0 } },
    ],
  },
]

describe('Visit allocation', () => {
  describe('dated scenarios through the nightly job', () => {
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const db = await testDb()
        const prison = await testPrison(db)
        const prisonerId = await testPrisoner(db, prison, {
          convicted: scenario.convicted ?? true,
          level: scenario.level,
        })
        for (const step of scenario.steps) {
          const date = addDays(DAY0, step.day)
          const deps = await depsAt(date)
          await step.before?.({ prisonerId, deps })
          await runAllocationJob(deps, { prisonCode: prison })
          const balance = await detailedBalance(db, prisonerId, date)
          const actual = {
            vo: balance?.voBalance ?? 0,
            pvo: balance?.pvoBalance ?? 0,
            accumulated: balance?.accumulatedVos ?? 0,
            negative: balance?.negativeVos ?? 0,
          }
          const expected = { accumulated: actual.accumulated, negative: actual.negative, ...step.expect }
          expect(actual, `day ${step.day}`).to.deep.equal(expected)
        }
      })
    }
  })

  describe('the nightly job', () => {
    it('allocates once when run twice for one date, and records the counts', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const convicted = [await testPrisoner(db, prison), await testPrisoner(db, prison, { level: 'ENH' })]
      const remand = await testPrisoner(db, prison, { convicted: false })
      const deps = await depsAt('2026-03-02')
      const first = await runAllocationJob(deps, { prisonCode: prison })
      const second = await runAllocationJob(deps, { prisonCode: prison })
      expect(first.totalActivePrisons).to.equal(1)
      expect(second.totalActivePrisons).to.equal(0)
      expect(await db('visit_orders').whereIn('prisoner_id', convicted).where({ type: 'VO' })).to.have.length(5)
      expect(await db('visit_prisoners').where({ prisoner_id: remand }).first()).to.equal(undefined)
      const row = await db('visit_allocation_prison_jobs').where({ job_id: first.jobId }).first()
      expect(row).to.include({
        prison_code: prison,
        convicted_prisoners: 2,
        processed_prisoners: 2,
        failed_or_skipped_prisoners: 0,
        failure_message: null,
      })
      expect(row.start_timestamp).to.be.instanceOf(Date)
      expect(row.end_timestamp).to.be.instanceOf(Date)
    })

    it('reads every prisoner past a batch, not just the first page', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const ids = Array.from({ length: 520 }, (_, i) => `B${prison.slice(1)}${String(i).padStart(4, '0')}`)
      await db.batchInsert(
        'offenders',
        ids.map(noms_id => ({
          noms_id,
          given_name: 'Batch',
          surname: 'Prisoner',
          date_of_birth: '1990-01-01',
          convicted: true,
          iep_level_code: 'BAS',
          prison_id: prison,
        })),
        200,
      )
      const job = await runAllocationJob(await depsAt('2026-03-02'), { prisonCode: prison })
      const row = await db('visit_allocation_prison_jobs').where({ job_id: job.jobId }).first()
      expect(row).to.include({ convicted_prisoners: 520, processed_prisoners: 520 })
      const allocated = await db('visit_orders').whereIn('prisoner_id', ids).count<{ count: number }[]>('* as count')
      expect(Number(allocated[0]!.count)).to.equal(520)
    })

    it('retries a failing prisoner, records it as failed and carries on with the prison', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const good = await testPrisoner(db, prison)
      const bad = await testPrisoner(db, prison)
      await db.raw(`
        CREATE OR REPLACE FUNCTION visits_test_fail() RETURNS trigger AS $$
        BEGIN
          IF NEW.prisoner_id = '${bad}' THEN RAISE EXCEPTION 'injected failure'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`)
      await db.raw(
        'CREATE TRIGGER visits_test_fail BEFORE INSERT ON visit_orders FOR EACH ROW EXECUTE FUNCTION visits_test_fail()',
      )
      try {
        const job = await runAllocationJob(await depsAt('2026-03-02'), { prisonCode: prison })
        const row = await db('visit_allocation_prison_jobs').where({ job_id: job.jobId }).first()
        expect(row).to.include({ convicted_prisoners: 2, processed_prisoners: 1, failed_or_skipped_prisoners: 1 })
        expect(await db('visit_orders').where({ prisoner_id: good })).to.have.length(3)
        expect(await db('visit_orders').where({ prisoner_id: bad })).to.have.length(0)
      } finally {
        await db.raw('DROP TRIGGER visits_test_fail ON visit_orders')
        await db.raw('DROP FUNCTION visits_test_fail()')
      }
    })

    it('skips a prison whose switch is off', async () => {
      const db = await testDb()
      const on = await testPrison(db)
      const off = await testPrison(db, false)
      const job = await runAllocationJob(await depsAt('2026-03-03'))
      const prisons = await db('visit_allocation_prison_jobs').where({ job_id: job.jobId }).pluck('prison_code')
      expect(prisons).to.include(on)
      expect(prisons).to.not.include(off)
    })

    ;(onPostgres ? describe : describe.skip)('with two instances on one PostgreSQL database', () => {
      it('allocates once when both schedulers fire the job together', async () => {
        const db = await testDb()
        const other = secondConnection()
        try {
          const prison = await testPrison(db)
          const prisoners = await Promise.all([1, 2, 3].map(() => testPrisoner(db, prison)))
          const schedulerOn = async (connection: typeof db) => {
            const deps = { ...(await depsAt('2026-04-01')), db: connection }
            return new Scheduler(connection, deps.log, [
              {
                name: 'visits-allocation-race',
                schedule: '0 1 * * *',
                run: async () => void (await runAllocationJob(deps, { prisonCode: prison })),
              },
            ])
          }
          const [first, second] = [await schedulerOn(db), await schedulerOn(other)]
          await Promise.all([first.runNow('visits-allocation-race'), second.runNow('visits-allocation-race')])
          expect(await db('visit_allocation_prison_jobs').where({ prison_code: prison })).to.have.length(1)
          expect(await db('visit_orders').whereIn('prisoner_id', prisoners)).to.have.length(9)
        } finally {
          await other.destroy()
        }
      })
    })

    it('is registered with the scheduler on VISITS_ALLOCATION_CRON and allocates the day of its clock', async () => {
      const services = await testServices({
        clock: fixedClock('2031-01-06T01:00:00Z'),
        env: { VISITS_ALLOCATION_CRON: '30 2 * * *' },
      })
      const prison = await testPrison(services.db)
      const prisonerId = await testPrisoner(services.db, prison)
      const jobs = scheduledJobs(services)
      expect(jobs.find(j => j.name === 'visits-allocation')?.schedule).to.equal('30 2 * * *')
      expect(await new Scheduler(services.db, services.log, jobs).runNow('visits-allocation')).to.equal('ran')
      const row = await services.db('visit_allocation_prison_jobs').where({ prison_code: prison }).first()
      expect(row).to.include({ processed_prisoners: 1 })
      expect(await detailedBalance(services.db, prisonerId, '2031-01-06')).to.include({
        lastVoAllocatedDate: '2031-01-06',
      })
    })

    it('leaves a remand prisoner alone even when asked directly', async () => {
      const db = await testDb()
      const prison = await testPrison(db)
      const nomsId = await testPrisoner(db, prison, { convicted: false })
      const outcome = await allocatePrisoner(
        db,
        { nomsId, prisonId: prison, convicted: false, level: 'STD' },
        { today: '2026-03-02', at: new Date(), max: 26 },
      )
      expect(outcome).to.equal('skipped')
    })
  })
})
