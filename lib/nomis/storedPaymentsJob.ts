import type { Db } from '../../db/client'
import { DomainError } from '../errors'
import { writeWith, type WriteServices } from '../write'
import { nextTransactionId, post, requireOffender } from './finance'

/**
 * The batch step: posts every waiting payment, each in its own transaction. A payment that cannot
 * be posted (an adjudication larger than the spends balance) is marked with the reason, not retried.
 * A scheduled job (lib/scheduler/jobs.ts): it opens its own transactions, one per payment, and the
 * posting a savepoint inside it, so that a refused posting leaves the payment marked and nothing else.
 */
export async function postStoredPayments(
  deps: WriteServices & { db: Db },
): Promise<{ posted: number; failed: number }> {
  const { db, clock } = deps
  const waiting: { id: number }[] = await db('stored_payments').whereNull('processed_at').orderBy('id').select('id')
  let posted = 0
  let failed = 0
  for (const { id } of waiting) {
    const outcome = await db.transaction(async tx => {
      const payment = await tx('stored_payments').where({ id }).whereNull('processed_at').forUpdate().first()
      if (!payment) return 'skipped'
      await requireOffender(tx, payment.noms_id, true)
      const txnId = await nextTransactionId(tx)
      try {
        await tx.transaction(async inner => {
          await post(writeWith(deps, inner), txnId, 1, {
            nomsId: payment.noms_id,
            prisonId: payment.prison_id,
            accountCode: 'SPND',
            typeCode: payment.type_code,
            description:
              payment.description ?? (payment.type_code === 'A_EARN' ? 'Offender Payroll' : 'Adjudication Award'),
            amount: payment.type_code === 'ADJ' ? -payment.amount : payment.amount,
            clientTransactionId: payment.client_transaction_id,
          })
        })
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        await tx('stored_payments').where({ id }).update({ processed_at: clock.now(), failure: err.message })
        return 'failed'
      }
      await tx('stored_payments').where({ id }).update({ processed_at: clock.now(), txn_id: txnId })
      return 'posted'
    })
    if (outcome === 'posted') posted++
    if (outcome === 'failed') failed++
  }
  return { posted, failed }
}
