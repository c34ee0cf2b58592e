import type { Tx } from '../../db/client'
import { DomainError, type ErrorSubject } from '../errors'

type DuplicateCheck = {
  personId: string
  from: string
  to: string | null
  date: string
  /** The move being changed, which is no duplicate of itself. */
  exceptId?: string
  /** Moves of this allocation do not count: its places may be filled by one prisoner's profiles. */
  exceptAllocationId?: string | null
}

/**
 * The reference's duplicate check: the same person, from, to and date among moves neither
 * cancelled nor proposed. The caller holds the person's advisory lock, so two concurrent
 * changes for one person take turns and the second sees the first.
 */
async function duplicateOf(tx: Tx, move: DuplicateCheck): Promise<string | null> {
  const query = tx('moves as m')
    .join('profiles as p', 'p.id', 'm.profile_id')
    .where('p.person_id', move.personId)
    .where('m.from_location_id', move.from)
    .where('m.date', move.date)
    .whereNotIn('m.status', ['cancelled', 'proposed'])
  if (move.to) query.where('m.to_location_id', move.to)
  else query.whereNull('m.to_location_id')
  if (move.exceptId) query.whereNot('m.id', move.exceptId)
  const allocationId = move.exceptAllocationId
  if (allocationId) query.where(q => q.whereNull('m.allocation_id').orWhereNot('m.allocation_id', allocationId))
  const row = await query.first('m.id')
  return (row?.id as string | undefined) ?? null
}

/** Serialises every check-then-write for one person across connections (a no-op wait on PGlite). */
async function lockPerson(tx: Tx, personId: string): Promise<void> {
  await tx.raw(`select pg_advisory_xact_lock(hashtextextended('move-person:' || ?, 0))`, [personId])
}

/**
 * Takes these people's locks (kept until the transaction ends; taking one again is free), in one
 * order, so that a change to many moves and a change to one never wait for each other in a circle.
 */
export async function lockPeople(tx: Tx, personIds: string[]): Promise<void> {
  for (const personId of [...new Set(personIds)].sort()) await lockPerson(tx, personId)
}

/**
 * Takes the person's lock, which it keeps until the transaction ends, and refuses with 422 `taken`
 * (`meta.existing_id`, as the frontend expects) when a live move already takes this person on this
 * route and date. A caller that also locks an allocation does so afterwards: person, then allocation.
 */
export async function refuseDuplicateMove(tx: Tx, move: DuplicateCheck, subject: ErrorSubject): Promise<void> {
  await lockPerson(tx, move.personId)
  const existing = await duplicateOf(tx, move)
  if (existing) {
    throw new DomainError('taken', 'Date has already been taken', { subject, meta: { existing_id: existing } })
  }
}
