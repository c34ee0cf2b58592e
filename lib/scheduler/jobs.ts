import { deleteExpiredTokens } from '../auth/clients'
import { postStoredPayments } from '../nomis/finance'
import type { Services } from '../services'
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
      // After the evening payroll, before advances and scheduled payments, as NOMIS runs it.
      name: 'post-stored-payments',
      schedule: '0 22 * * *',
      run: async () => {
        log.info(await postStoredPayments(db, clock), 'stored payments posted')
      },
    },
  ]
}
