import type { Tx } from '../../db/client'
import { recordEvents, type Recorder } from '../events/record'

/**
 * Calls off every stay of these moves that has not begun, each with its own LodgingCancel event;
 * a stay under way or finished is left as it is. Kept apart from the lodging use cases so that the
 * move-changed step (lib/moves/moveChanged.ts), carrying out the machine's cancelPlannedLodgings when
 * a move ends, and cancelling all of a move's stays share it without an import cycle. The caller
 * holds the moves' row locks.
 */
export async function cancelPlannedLodgings(
  tx: Tx,
  moveIds: string[],
  input: { occurredAt: Date; notes: string | null; reason: string; comment: string | null },
  by: Recorder,
  now: Date,
): Promise<string[]> {
  if (!moveIds.length) return []
  const cancelled = (await tx('lodgings')
    .whereIn('move_id', moveIds)
    .where({ status: 'proposed' })
    .forUpdate()
    .select(
      'id',
      'move_id',
      'location_id',
      tx.raw('start_date::text as start_date'),
      tx.raw('end_date::text as end_date'),
    )) as {
    id: string
    move_id: string
    location_id: string
    start_date: string
    end_date: string
  }[]
  if (!cancelled.length) return []
  await tx('lodgings')
    .whereIn(
      'id',
      cancelled.map(l => l.id),
    )
    .update({
      status: 'cancelled',
      cancellation_reason: input.reason,
      cancellation_reason_comment: input.comment,
      updated_at: now,
    })
  await recordEvents(
    { tx },
    cancelled.map(l => ({
      eventType: 'LodgingCancel',
      moveId: l.move_id,
      eventable: { type: 'lodgings', id: l.id },
      occurredAt: input.occurredAt,
      recordedAt: now,
      notes: input.notes,
      by,
      relationships: { location: l.location_id },
      details: {
        lodging_id: l.id,
        start_date: l.start_date,
        end_date: l.end_date,
        from_status: 'proposed',
        to_status: 'cancelled',
        cancellation_reason: input.reason,
        cancellation_reason_comment: input.comment,
      },
    })),
  )
  return cancelled.map(l => l.id)
}
