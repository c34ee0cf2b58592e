import type { Tx } from '../../db/client'

/**
 * The per-move `meta` members a list may ask for (`meta=a,b`), as the reference's move serializer
 * offers them and the frontend's move lists ask for them.
 */
export const MOVE_META = ['vehicle_registration', 'expected_time_of_arrival', 'expected_collection_time'] as const

export type MoveMetaName = (typeof MOVE_META)[number]

/**
 * The asked-for meta of each move, in one query whatever the page size: vehicle_registration is the
 * registration of the vehicle on the move's latest journey that was neither cancelled nor rejected
 * (null without one). We record no estimated-time events, so expected_time_of_arrival and
 * expected_collection_time are null.
 */
export async function loadMoveMeta(
  tx: Tx,
  moveIds: string[],
  names: readonly MoveMetaName[],
): Promise<Map<string, Partial<Record<MoveMetaName, string | null>>>> {
  const registrations = new Map<string, string | null>()
  if (names.includes('vehicle_registration') && moveIds.length) {
    const rows = (await tx('journeys')
      .distinctOn('move_id')
      .select('move_id', tx.raw(`vehicle->>'registration' as registration`))
      .whereIn('move_id', moveIds)
      .whereNotIn('state', ['cancelled', 'rejected'])
      .orderBy([
        { column: 'move_id' },
        { column: 'client_timestamp', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])) as {
      move_id: string
      registration: string | null
    }[]
    for (const row of rows) registrations.set(row.move_id, row.registration)
  }
  return new Map(
    moveIds.map(id => [
      id,
      Object.fromEntries(
        names.map(name => [name, name === 'vehicle_registration' ? (registrations.get(id) ?? null) : null]),
      ),
    ]),
  )
}
