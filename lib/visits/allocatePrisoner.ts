import type { Tx } from '../../db/client'
import { eligibility } from './eligibility'
import { amountsFor, loadOrCreateLedger, saveLedger } from './ledger'
import { allocate, type Amounts } from './rules'

export type PrisonerToAllocate = { nomsId: string; prisonId: string; convicted: boolean; level: string | null }

/** processed: the ledger changed; unchanged: nothing was due; skipped: not eligible. */
export type PrisonerOutcome = 'processed' | 'unchanged' | 'skipped'

/**
 * Allocates one prisoner's visiting orders for `today`, in the caller's transaction `tx` (the job
 * opens one per prisoner), with the ledger row locked. Remand prisoners earn nothing. Running it twice for one day changes nothing the second
 * time: the due dates have moved.
 */
export async function allocatePrisoner(
  tx: Tx,
  prisoner: PrisonerToAllocate,
  options: { today: string; at: Date; max: number; amounts?: Amounts },
): Promise<PrisonerOutcome> {
  const record = {
    nomsId: prisoner.nomsId,
    convicted: prisoner.convicted,
    custodyStatus: 'IN' as const,
    prisonId: prisoner.prisonId,
  }
  // The job runs only for prisons that allocate; the rule is the one every visit path asks.
  if (!eligibility(record, true).eligible) return 'skipped'
  const before = await loadOrCreateLedger(tx, prisoner.nomsId, options.today)
  const amounts = options.amounts ?? (await amountsFor(tx, prisoner.prisonId, prisoner.level))
  const result = allocate(before, {
    today: options.today,
    amounts,
    level: prisoner.level ?? 'STD',
    max: options.max,
  })
  if (!result.changed) return 'unchanged'
  await saveLedger(tx, before, result.ledger, {
    type: 'BATCH_PROCESS',
    at: options.at,
    history: result.history,
    source: 'SYSTEM',
    userId: 'SYSTEM',
  })
  return 'processed'
}
