import type { Tx } from '../../db/client'

/**
 * A prisoner's identity as visit allocation follows it. NOMIS renumbers a prisoner (NOMS_ID_CHANGED
 * on the records feed, filed under the old number) and merges two records into one (the
 * `prisoner.merged` domain event). Either way the visit ledger belongs to the kept number, and an
 * event that still names an old number, or a booking made under one, resolves to it (the
 * reference's fix for merged prisoners; issue #18).
 */

export type IdentityChange = 'RENUMBERED' | 'MERGED'

/** Renumberings and merges are rare and short chains; the bound only stops a cycle in bad data. */
const MAX_HOPS = 10

async function nextNumber(tx: Tx, prisonerId: string): Promise<string | null> {
  const merged = await tx('visit_prisoner_identities').where({ old_prisoner_id: prisonerId }).first('prisoner_id')
  if (merged) return merged.prisoner_id as string
  const renumbered = await tx('offender_events')
    .where({ event_type: 'NOMS_ID_CHANGED', noms_id: prisonerId })
    .orderBy('id', 'desc')
    .first(tx.raw(`payload->'noms_id_change'->>'new_noms_id' AS new_noms_id`))
  return (renumbered?.new_noms_id as string | undefined) ?? null
}

/** The number a prisoner is known by now: `prisonerId` itself unless it was renumbered or merged away. */
export async function keptPrisonerId(tx: Tx, prisonerId: string): Promise<string> {
  let current = prisonerId
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = await nextNumber(tx, current)
    if (!next || next === prisonerId) return current
    current = next
  }
  return current
}

/**
 * The numbers that led to `prisonerId` and still hold a visit ledger of their own, oldest change
 * first, with how each was left: a ledger to carry over before anything reads or changes the kept one.
 */
export async function formerLedgers(tx: Tx, prisonerId: string): Promise<{ oldId: string; change: IdentityChange }[]> {
  const found: { oldId: string; change: IdentityChange }[] = []
  const seen = new Set([prisonerId])
  let frontier = [prisonerId]
  for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
    const previous: { oldId: string; change: IdentityChange }[] = []
    for (const id of frontier) {
      // One round trip: this runs for every prisoner the nightly job meets for the first time.
      const { rows } = (await tx.raw(
        `SELECT old_prisoner_id AS old_id, change FROM visit_prisoner_identities WHERE prisoner_id = ?
         UNION
         SELECT noms_id, 'RENUMBERED' FROM offender_events
          WHERE event_type = 'NOMS_ID_CHANGED' AND payload->'noms_id_change'->>'new_noms_id' = ?`,
        [id, id],
      )) as { rows: { old_id: string; change: IdentityChange }[] }
      previous.push(...rows.map(r => ({ oldId: r.old_id, change: r.change })))
    }
    frontier = []
    for (const p of previous) {
      if (seen.has(p.oldId)) continue
      seen.add(p.oldId)
      frontier.push(p.oldId)
      found.unshift(p)
    }
  }
  if (!found.length) return []
  const withLedger = new Set<string>(
    await tx('visit_prisoners')
      .whereIn(
        'prisoner_id',
        found.map(f => f.oldId),
      )
      .pluck('prisoner_id'),
  )
  return found.filter(f => withLedger.has(f.oldId))
}
