import type { Tx } from '../../db/client'
import { refreshedAllocationStatus, type AllocationStatus } from '../../machines/allocation'

/**
 * Takes the allocation's row lock before a change to one of its moves. Cancelling an allocation
 * locks the allocation and then its moves; a move change must take them in the same order, or the
 * two deadlock (the move changed first, then the allocation refreshed).
 */
export async function lockAllocation(tx: Tx, id: string | null): Promise<void> {
  if (id) await tx('allocations').where({ id }).forUpdate().first('id')
}

/**
 * Recomputes the allocation's status and moves_count from its moves. The row lock makes
 * concurrent refreshes take turns, so the last one always counts every committed change.
 */
export async function refreshAllocation(tx: Tx, id: string, now: Date): Promise<void> {
  const allocation = await tx('allocations').where({ id }).forUpdate().first('status')
  if (!allocation) return
  const counts = (await tx('moves')
    .where({ allocation_id: id })
    .whereNot('status', 'cancelled')
    .select(tx.raw('count(*)::int as live'), tx.raw('(count(*) - count(profile_id))::int as without_profile'))
    .first()) as { live: number; without_profile: number }
  const status = refreshedAllocationStatus(allocation.status as AllocationStatus, {
    live: counts.live,
    withoutProfile: counts.without_profile,
  })
  await tx('allocations').where({ id }).update({ status, moves_count: counts.live, updated_at: now })
}
