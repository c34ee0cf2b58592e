import { serialize } from '../resources'
import { createJourney, findJourney, listJourneys, transitionJourney, updateJourney } from '../../lib/moves/journeys'
import type { Services } from '../../lib/services'
import type { JourneyEventName } from '../../machines/journey'
import {
  client,
  jsonApiResponse,
  serializeContext,
  write,
  type Handler,
  type HandlerTable,
  type WriteOperation,
} from '../context'
import { contractResource } from '../jsonapiBody'
import { eventTime } from './eventBody'

export function journeyHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const who = (req: Parameters<Handler>[0]) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }

  const event = (name: JourneyEventName, type: string): WriteOperation =>
    write(async (req, w) => {
      const moveId = String(req.params.id)
      const id = String(req.params.journey_id)
      // Every journey event has the same body (MoveEvent): a timestamp and notes.
      const body = eventTime(contractResource<'startJourney'>(req, type).attributes)
      await transitionJourney(w, { moveId, id, event: name, ...body }, who(req), clock.now())
      return jsonApiResponse(204)
    })

  return {
    listJourneys: async (req, res) => {
      const rows = await listJourneys(db, String(req.params.id), who(req))
      res.json(await serialize(db, 'journeys', rows, serializeContext(req), {}))
    },

    getJourney: async (req, res) => {
      const row = await findJourney(db, String(req.params.id), String(req.params.journey_id), who(req))
      res.json(await serialize(db, 'journeys', row, serializeContext(req), {}))
    },

    createJourney: write(async (req, w) => {
      const moveId = String(req.params.id)
      const { attributes, relationships } = contractResource<'createJourney'>(req, 'journeys')
      const input = {
        timestamp: new Date(attributes.timestamp),
        date: attributes.date,
        billable: attributes.billable,
        vehicle: attributes.vehicle,
        fromLocationId: relationships.from_location.data.id,
        toLocationId: relationships.to_location.data.id,
      }
      const ctx = serializeContext(req)
      const journey = await createJourney(w, moveId, input, who(req), clock.now())
      return jsonApiResponse(201, await serialize(w.tx, 'journeys', journey, ctx, {}), {
        Location: `${ctx.baseUrl}/api/moves/${moveId}/journeys/${journey.id}`,
      })
    }),

    updateJourney: write(async (req, w) => {
      const moveId = String(req.params.id)
      const id = String(req.params.journey_id)
      const { attributes = {}, relationships = {} } = contractResource<'updateJourney'>(req, 'journeys', id)
      const input = {
        timestamp: attributes.timestamp === undefined ? undefined : new Date(attributes.timestamp),
        date: attributes.date,
        billable: attributes.billable,
        vehicle: attributes.vehicle,
        fromLocationId: relationships.from_location?.data?.id,
        toLocationId: relationships.to_location?.data?.id,
      }
      const ctx = serializeContext(req)
      const journey = await updateJourney(w, moveId, id, input, who(req), clock.now())
      return jsonApiResponse(200, await serialize(w.tx, 'journeys', journey, ctx, {}))
    }),

    startJourney: event('start', 'starts'),
    rejectJourney: event('reject', 'rejects'),
    completeJourney: event('complete', 'completes'),
    uncompleteJourney: event('uncomplete', 'uncompletes'),
    cancelJourney: event('cancel', 'cancels'),
    uncancelJourney: event('uncancel', 'uncancels'),
    lockoutJourney: event('lockout', 'lockouts'),
    lodgingJourney: event('lodging', 'lodgings'),
  }
}
