import { DomainError } from '../../lib/errors'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { findMove } from '../../lib/moves/moves'
import { eventsQuery, type EventRow } from '../../lib/moves/rows'
import type { Services } from '../../lib/services'
import { client, serializeContext, type HandlerTable } from '../context'

const INCLUDES = ['eventable'] as const

export function eventHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    getEvent: async (req, res) => {
      const id = String(req.params.id)
      const notFound = new DomainError('not_found', `Couldn't find Event with 'id'=${id}`)
      const event = (await eventsQuery(db).where('e.id', id).first()) as EventRow | undefined
      if (!event) throw notFound
      // An event is as visible as its move: a supplier reaches only its own moves' timelines.
      const { supplierId } = client(req)
      if (!event.move_id && supplierId) throw notFound
      if (event.move_id) {
        await findMove(db, event.move_id, supplierId).catch(() => {
          throw notFound
        })
      }
      res.json(
        await serialize(db, 'events', event, serializeContext(req), {
          include: parseInclude(req.query.include, INCLUDES),
          fields: parseFields(req.query.fields),
        }),
      )
    },
  }
}
