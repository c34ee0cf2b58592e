import type { Write } from '../write'

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

/** A domain event (as the visit allocation queue takes them) that a record change implies. */
export type DomainEvent = { eventType: string; additionalInformation: Record<string, unknown>; occurredAt?: string }

export type OffenderEvent = {
  type: OffenderEventType
  nomsId: string
  prisonId: string | null
  payload: Record<string, unknown>
  /** Published to the domain events queue in the change's own transaction, stamped with the change's time. */
  domainEvent?: DomainEvent
}

/**
 * The one way a change to a prisoner record reaches the event feed: every use case that changes a
 * record calls this in its own transaction, so the feed holds exactly the committed changes.
 *
 * Feed clients page by timestamp, so an event must never become visible with a timestamp earlier
 * than one already visible. The transaction-scoped lock makes event-writing transactions commit in
 * the order they take their timestamps, and each timestamp is at least a millisecond after the
 * latest one written (clocks of several instances may disagree by a little): timestamps are unique
 * at the feed's millisecond resolution, so a page of any size always moves the client forward.
 *
 * The domain event the change implies goes onto the visits queue in the same transaction (issue
 * #18, rule 5): it is there the moment the change commits, and never if it rolls back, so no visit
 * booking or adjustment can land between a change and its event. Throws when the queue has not
 * been started (see lib/visits/events.ts, DomainEventPublisher).
 */
export async function recordOffenderEvent(w: Write, event: OffenderEvent): Promise<number> {
  const { tx, clock } = w
  await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['offender_events'])
  const [row] = await tx('offender_events')
    .insert({
      event_type: event.type,
      noms_id: event.nomsId,
      prison_id: event.prisonId,
      event_timestamp: tx.raw(
        `greatest(?::timestamptz, (SELECT max(event_timestamp) + interval '1 millisecond' FROM offender_events))`,
        [clock.now().toISOString()],
      ),
      payload: JSON.stringify(event.payload),
    })
    .returning('id')
  // The change's own time: the feed's timestamp may be nudged past it to keep the feed in order.
  if (event.domainEvent)
    await w.events.publishDomainEvent(tx, { ...event.domainEvent, occurredAt: clock.now().toISOString() })
  return Number((row as { id: number }).id)
}
