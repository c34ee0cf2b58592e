import type { Tx } from '../../db/client'
import type { Clock } from '../clock'

export const EVENT_TYPES = [
  'ALERT',
  'DISCHARGE',
  'IEP_CHANGED',
  'INTERNAL_LOCATION_CHANGED',
  'NOMS_ID_CHANGED',
  'PERSONAL_DETAILS_CHANGED',
  'PERSONAL_OFFICER_CHANGED',
  'RECEPTION',
  'SENTENCE_INFORMATION_CHANGED',
  'BALANCE_UPDATE',
] as const
export type OffenderEventType = (typeof EVENT_TYPES)[number]

export type OffenderEvent = {
  type: OffenderEventType
  nomsId: string
  prisonId: string | null
  payload: Record<string, unknown>
}

/**
 * The one way a change to a prisoner record reaches the event feed: every use case that changes a
 * record calls this in its own transaction, so the feed holds exactly the committed changes.
 */
export async function recordOffenderEvent(tx: Tx, clock: Clock, event: OffenderEvent): Promise<number> {
  const [row] = await tx('offender_events')
    .insert({
      event_type: event.type,
      noms_id: event.nomsId,
      prison_id: event.prisonId,
      event_timestamp: clock.now(),
      payload: JSON.stringify(event.payload),
    })
    .returning('id')
  return Number((row as { id: number }).id)
}
