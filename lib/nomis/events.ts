import type { Tx } from '../../db/client'
import type { OffenderEventType } from '../prisonerRecords/events'

/**
 * What the feed is filtered by, as openapi.yaml's `listNomisEvents` declares and the edge has
 * checked: `fromDatetime` a real `yyyy-MM-dd[( |T)HH:mm[:ss[.SSS]]][Z]` (UTC), `limit` 1..1000
 * (prison-api #2182 bounds it).
 */
export type EventFilter = {
  prisonId?: string
  offenderId?: string
  eventType?: OffenderEventType
  fromDatetime?: string
  limit: number
}

/**
 * The feed in (timestamp, id) order from from_datetime inclusive. Times are UTC, so no wall-clock
 * hour repeats: a client that sends back the last timestamp it saw and drops ids it already has
 * neither loses nor repeats an event.
 */
export async function listEvents(tx: Tx, filter: EventFilter) {
  const query = tx('offender_events')
    .select(
      'id',
      'event_type',
      'noms_id',
      'prison_id',
      'payload',
      tx.raw(`to_char(event_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as ts`),
    )
    .orderBy([
      { column: 'event_timestamp', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(filter.limit)
  if (filter.prisonId) query.where({ prison_id: filter.prisonId })
  if (filter.offenderId) query.where({ noms_id: filter.offenderId })
  if (filter.eventType) query.where({ event_type: filter.eventType })
  if (filter.fromDatetime) {
    query.whereRaw(`event_timestamp >= (?::timestamp AT TIME ZONE 'UTC')`, [
      filter.fromDatetime.replace('T', ' ').replace('Z', ''),
    ])
  }
  const rows: {
    id: number
    event_type: string
    noms_id: string
    prison_id: string | null
    payload: unknown
    ts: string
  }[] = await query
  return {
    events: rows.map(r => ({
      type: r.event_type,
      id: Number(r.id),
      timestamp: r.ts,
      noms_id: r.noms_id,
      prison_id: r.prison_id,
      [r.event_type.toLowerCase()]: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    })),
  }
}
