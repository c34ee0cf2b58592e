import { deleteExpiredTokens } from '../auth/clients'
import { runWeeklyGpsQualityReport } from '../gps/qualityReportJob'
import { postStoredPayments } from '../nomis/storedPaymentsJob'
import type { Services } from '../services'
import { runAllocationJob } from '../visits/allocationJob'
import type { Job } from './scheduler'

/** Every scheduled job of the service, in one place. */
export function scheduledJobs(services: Services): Job[] {
  const { config, idempotency, db, clock, log } = services
  return [
    {
      name: 'reap-idempotency-keys',
      schedule: '15 * * * *',
      run: async () => {
        log.info({ reaped: await idempotency.reap(config.idempotencyRetentionHours) }, 'idempotency keys reaped')
      },
    },
    {
      name: 'delete-expired-tokens',
      schedule: '45 * * * *',
      run: async () => {
        log.info({ deleted: await deleteExpiredTokens(db, clock) }, 'expired tokens deleted')
      },
    },
    {
      // Each prison is claimed once per date, so a repeated or overlapping run allocates nothing twice.
      name: 'visits-allocation',
      schedule: config.visitsAllocationCron,
      run: async () => {
        const job = await runAllocationJob(services)
        log.info({ reference: job.allocationJobReference, prisons: job.totalActivePrisons }, 'visit allocation job ran')
      },
    },
    {
      // After the evening payroll, before advances and scheduled payments, as NOMIS runs it.
      name: 'post-stored-payments',
      schedule: '0 22 * * *',
      run: async () => {
        log.info(await postStoredPayments(services), 'stored payments posted')
      },
    },
    {
      // Thursdays 05:00, the reference's gps-data CronJob: last week's completed moves, stored and summarised.
      name: 'gps-quality-report',
      schedule: '0 5 * * 4',
      run: async () => {
        const { id, report } = await runWeeklyGpsQualityReport(db, clock)
        log.info(
          { id, dateFrom: report.dateFrom, dateTo: report.dateTo, ...report.summary, suppliers: report.suppliers },
          'GPS quality report stored',
        )
      },
    },
  ]
}
