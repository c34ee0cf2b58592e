import type { Tx } from '../../db/client'
import { EVENT_TYPES, type EventMoveMeta } from '../events/catalogue'

/**
 * The per-move `meta` members a list may ask for (`meta=a,b`), as the reference's move serializer
 * offers them and the frontend's move lists ask for them.
 */
export const MOVE_META = ['vehicle_registration', 'expected_time_of_arrival', 'expected_collection_time'] as const

export type MoveMetaName = (typeof MOVE_META)[number]

/**
 * The asked-for meta of each move, in one query whatever the page size: vehicle_registration is the
 * registration of the vehicle on the move's latest journey that was neither cancelled nor rejected
 * (null without one); expected_time_of_arrival and expected_collection_time are the `expected_at` of
 * the move's latest event (by occurred_at) of the type the catalogue gives that member
 * (MoveNotifyPremisesOfDropOffEta, MoveNotifyPremisesOfExpectedCollectionTime), null without one.
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
  const expected = new Map<EventMoveMeta, Map<string, string | null>>()
  for (const name of names) {
    if (name === 'vehicle_registration' || !moveIds.length) continue
    const types = EVENT_TYPES.filter(spec => spec.moveMeta === name).map(spec => spec.eventType)
    const rows = (await tx('move_events')
      .distinctOn('move_id')
      .select('move_id', tx.raw(`details->>'expected_at' as expected_at`))
      .whereIn('move_id', moveIds)
      .whereIn('event_type', types)
      .orderBy([{ column: 'move_id' }, { column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }])) as {
      move_id: string
      expected_at: string | null
    }[]
    expected.set(name, new Map(rows.map(r => [r.move_id, r.expected_at])))
  }
  const value = (name: MoveMetaName, id: string) =>
    (name === 'vehicle_registration' ? registrations.get(id) : expected.get(name)?.get(id)) ?? null
  return new Map(moveIds.map(id => [id, Object.fromEntries(names.map(name => [name, value(name, id)]))]))
}
