import type { Knex } from 'knex'
import type { Clock } from './clock'
import type { Outbox } from './notifications/outbox'
import type { DomainEventPublisher } from './visits/events'

/**
 * What a use case that changes state is handed: the one transaction it runs in, opened by its caller
 * (the HTTP write path in api/writePath.ts, or a scheduled job or queue worker), never by the use
 * case itself; the clock; and the outboxes that send from inside that transaction, so that what they
 * send exists if and only if the change commits. The composition root (lib/services.ts) builds the
 * outboxes once; `writeWith` pairs them with a transaction.
 */
export type Write = {
  tx: Knex.Transaction
  clock: Clock
  /** Notifications to suppliers about their moves (lib/notifications/outbox.ts). */
  outbox: Outbox
  /** Domain events onto the visits queue (lib/visits/events.ts). */
  events: DomainEventPublisher
}

/** The services a Write is made from: what the composition root built once for the process. */
export type WriteServices = Omit<Write, 'tx'>

/** A Write in transaction `tx`, for a caller (job, worker, seed) that has opened one. */
export function writeWith(services: WriteServices, tx: Knex.Transaction): Write {
  return { tx, clock: services.clock, outbox: services.outbox, events: services.events }
}
