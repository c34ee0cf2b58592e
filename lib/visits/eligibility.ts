import type { Tx } from '../../db/client'

/**
 * Who earns and spends visiting orders: the one decision every visit path asks (the nightly
 * allocation, a booked visit, a merge), so that no rule is applied on one path and not another
 * (issue #18). From the reference: only convicted prisoners earn and are charged (#181), and only
 * at a prison where visit allocation is switched on ("DPS prisons"); the prison is the one the
 * prisoner is in now, as the prisoner records say. The 26 cap is applied by the ledger rules
 * (`lib/visits/rules.ts`) on every path that adds VOs.
 *
 * Refunds follow the reference too: a cancelled visit gives back what it used when the prison it
 * was charged at still allocates, whatever the prisoner's status now. The order was paid for while
 * they were eligible, so becoming remand, or moving to a prison that does not allocate, does not
 * forfeit it; a refund never needs the prisoner to be eligible today.
 */

export class UnknownPrisonerError extends Error {}

export type PrisonerRecord = {
  nomsId: string
  convicted: boolean
  custodyStatus: 'IN' | 'TRN' | 'OUT'
  prisonId: string | null
}

export type Ineligible = 'REMAND' | 'NOT_IN_PRISON' | 'PRISON_NOT_ALLOCATING'

export type Eligibility = { eligible: true; prisonId: string } | { eligible: false; reason: Ineligible }

/** The pure rule: convicted, in a prison, and that prison allocates. */
export function eligibility(record: PrisonerRecord, prisonAllocates: boolean): Eligibility {
  if (!record.convicted) return { eligible: false, reason: 'REMAND' }
  if (record.custodyStatus !== 'IN' || !record.prisonId) return { eligible: false, reason: 'NOT_IN_PRISON' }
  if (!prisonAllocates) return { eligible: false, reason: 'PRISON_NOT_ALLOCATING' }
  return { eligible: true, prisonId: record.prisonId }
}

/** Whether visit allocation is switched on at the prison. */
export async function prisonAllocates(tx: Tx, prisonCode: string | null): Promise<boolean> {
  if (!prisonCode) return false
  return Boolean(
    await tx('visit_allocation_prisons').where({ prison_code: prisonCode, allocation_enabled: true }).first(),
  )
}

/**
 * The prisoner's record as visit allocation reads it (never writes it: the records use cases own it).
 * Throws UnknownPrisonerError when there is none: records may arrive after an event, so the queue retries.
 */
export async function prisonerRecord(tx: Tx, nomsId: string): Promise<PrisonerRecord> {
  const row = await tx('offenders')
    .where({ noms_id: nomsId })
    .first('noms_id', 'convicted', 'custody_status', 'prison_id')
  if (!row) throw new UnknownPrisonerError(`no prisoner record for ${nomsId}`)
  return { nomsId: row.noms_id, convicted: row.convicted, custodyStatus: row.custody_status, prisonId: row.prison_id }
}

/** The decision for one prisoner now, from their record and their prison's switch. */
export async function visitEligibility(tx: Tx, nomsId: string): Promise<Eligibility> {
  const record = await prisonerRecord(tx, nomsId)
  return eligibility(record, await prisonAllocates(tx, record.prisonId))
}
