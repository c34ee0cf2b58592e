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

/**
 * The number `prisonerId` was last changed to, or null if it is in use. NOMIS may renumber a
 * prisoner back to a number it retired earlier, so a number is only retired if the latest change
 * that names it, as old or as new number, takes it away: the latest change wins. Renumberings come
 * from the records feed (NOMS_ID_CHANGED, in feed order); merges from visit_prisoner_identities.
 */
async function nextNumber(tx: Tx, prisonerId: string): Promise<string | null> {
  const { rows } = (await tx.raw(
    `SELECT next_id FROM (
       SELECT payload->'noms_id_change'->>'new_noms_id' AS next_id, event_timestamp AS at, id AS seq
         FROM offender_events WHERE event_type = 'NOMS_ID_CHANGED' AND noms_id = ?
       UNION ALL
       SELECT NULL, event_timestamp, id
         FROM offender_events WHERE event_type = 'NOMS_ID_CHANGED' AND payload->'noms_id_change'->>'new_noms_id' = ?
       UNION ALL
       SELECT prisoner_id, changed_at, 0 FROM visit_prisoner_identities WHERE change = 'MERGED' AND old_prisoner_id = ?
       UNION ALL
       SELECT NULL, changed_at, 0 FROM visit_prisoner_identities WHERE change = 'MERGED' AND prisoner_id = ?
     ) changes ORDER BY at DESC, seq DESC LIMIT 1`,
    [prisonerId, prisonerId, prisonerId, prisonerId],
  )) as { rows: { next_id: string | null }[] }
  return rows[0]?.next_id ?? null
}

/**
 * The number a prisoner is known by now: `prisonerId` itself unless its latest change renumbered
 * or merged it away. A cycle in the data stops at the last number before it repeats.
 */
export async function keptPrisonerId(tx: Tx, prisonerId: string): Promise<string> {
  const seen = new Set([prisonerId])
  let current = prisonerId
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = await nextNumber(tx, current)
    if (!next || seen.has(next)) return current
    seen.add(next)
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
  const former: { oldId: string; change: IdentityChange }[] = []
  for (const f of found) {
    // A number renumbered away and later given back is in use again, not a former one.
    if (withLedger.has(f.oldId) && (await keptPrisonerId(tx, f.oldId)) === prisonerId) former.push(f)
  }
  return former
}
