import type { Request } from 'express'
import { DomainError } from '../../lib/errors'
import { assessmentInScope } from '../../lib/assessments/scope'
import { postEvent } from '../../lib/events/post'
import { findMove } from '../../lib/moves/moves'
import { eventsQuery, type EventRow } from '../../lib/moves/rows'
import type { Services } from '../../lib/services'
import type { Tx } from '../../db/client'
import { prepared } from '../../db/prepared'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { contractResource } from '../jsonapiBody'

const INCLUDES = ['eventable', 'supplier', 'location', 'from_location', 'to_location', 'court_location'] as const

/**
 * The event `id` if the client may see it: an event is as visible as its move (a supplier reaches only
 * the moves it may see), one of a person escort record as the record (its move's supplier only); an
 * event about a person alone, to the frontend and to the supplier that posted it. Otherwise 404.
 */
async function visibleEvent(tx: Tx, id: string, supplierId: string | null): Promise<EventRow> {
  const notFound = new DomainError('not_found', `Couldn't find Event with 'id'=${id}`)
  // Prepared: POST /api/events reads back every event it records here.
  const event = (await prepared(eventsQuery(tx).where('e.id', id), 'fixed').first()) as EventRow | undefined
  if (!event || (!event.move_id && supplierId && event.supplier_id !== supplierId)) throw notFound
  if (event.move_id) {
    await findMove(tx, event.move_id, supplierId).catch(() => {
      throw notFound
    })
  }
  // An event of a person escort record is as visible as the record: to the supplier of its move only.
  if (
    event.eventable_type === 'person_escort_records' &&
    !(await assessmentInScope(tx, supplierId, event.eventable_id, 'person_escort_record'))
  ) {
    throw notFound
  }
  return event
}

/** The relationships a posted event names besides its eventable, by name: an id, or null for `data: null`. */
function relationshipIds(relationships: Record<string, { data?: { id: string } | null } | undefined>) {
  const ids: Record<string, string | null> = {}
  for (const [name, value] of Object.entries(relationships)) {
    if (name !== 'eventable' && value) ids[name] = value.data?.id ?? null
  }
  return ids
}

/** POST /api/events and GET /api/events/{id} (issue #14): the generic events of lib/events. */
export function eventHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  return {
    getEvent: async (req, res) => {
      const event = await visibleEvent(db, String(req.params.id), client(req).supplierId)
      res.json(
        await serialize(db, 'events', event, serializeContext(req), {
          include: parseInclude(req.query.include, INCLUDES),
          fields: parseFields(req.query.fields),
        }),
      )
    },

    createEvent: write(async (req: Request, w) => {
      const { attributes: a, relationships: r } = contractResource<'createEvent'>(req, 'events')
      const { id, supplierId } = client(req)
      const posted = await postEvent(
        w,
        {
          eventType: a.event_type,
          occurredAt: new Date(a.occurred_at),
          recordedAt: new Date(a.recorded_at),
          notes: a.notes ?? null,
          details: (a.details ?? {}) as Record<string, unknown>,
          eventable: r.eventable.data,
          relationships: relationshipIds(r as Record<string, { data?: { id: string } | null }>),
        },
        { id, supplierId, currentUser: req.get('X-Current-User') ?? null },
        clock.now(),
      )
      const event = await visibleEvent(w.tx, posted.id, null)
      const ctx = serializeContext(req)
      const { details, relationships } = posted.ignored
      const meta = {
        ...(details.length ? { ignored_details: details } : {}),
        ...(relationships.length ? { ignored_relationships: relationships } : {}),
      }
      return jsonApiResponse(
        201,
        await serialize(w.tx, 'events', event, ctx, Object.keys(meta).length ? { meta } : {}),
        {
          Location: `${ctx.baseUrl}/api/events/${event.id}`,
        },
      )
    }),
  }
}
