import type { Db } from '../../db/client'
import { publishDomainEvent } from '../visits/events'
import type { DomainEvent } from './events'

const RELAY = 'offender-events-to-domain-events'

/**
 * Moves the domain events that record changes stored on their feed rows onto the domain events
 * queue, in feed order, and advances its cursor in the same transaction: each is published once,
 * and none is lost when the process dies between the change and the publication. Feed ids are
 * assigned under the feed's lock, so they follow commit order and no later commit appears behind
 * the cursor.
 */
export async function relayDomainEvents(db: Db, batchSize = 500): Promise<number> {
  let published = 0
  for (;;) {
    const batch = await db.transaction(async tx => {
      await tx('domain_event_relay').insert({ name: RELAY, last_offender_event_id: 0 }).onConflict('name').ignore()
      const cursor = await tx('domain_event_relay').where({ name: RELAY }).forUpdate().first('last_offender_event_id')
      const rows: { id: number; domain_event: DomainEvent | null; event_timestamp: Date }[] = await tx(
        'offender_events',
      )
        .where('id', '>', cursor.last_offender_event_id)
        .orderBy('id')
        .limit(batchSize)
        .select('id', 'domain_event', 'event_timestamp')
      for (const row of rows) {
        if (!row.domain_event) continue
        await publishDomainEvent(tx, { occurredAt: new Date(row.event_timestamp).toISOString(), ...row.domain_event })
        published += 1
      }
      if (rows.length) {
        await tx('domain_event_relay')
          .where({ name: RELAY })
          .update({ last_offender_event_id: rows[rows.length - 1]!.id })
      }
      return rows.length
    })
    if (batch < batchSize) return published
  }
}
