import type { Request } from 'express'
import { parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import {
  cancelAllLodgings,
  createLodging,
  findLodging,
  listLodgings,
  transitionLodging,
  updateLodging,
} from '../../lib/moves/lodgings'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable, type WriteOperation } from '../context'
import { contractResource } from '../jsonapiBody'
import { cancellationOf, eventTime } from './eventBody'

const INCLUDES = ['location'] as const

/** A lodging cancellation (LodgingCancel): the lodging's own reasons, not the move's. */
function lodgingCancellation(req: Request) {
  const { attributes } = contractResource<'cancelLodging'>(req, ['cancels', 'cancel'])
  return { ...eventTime(attributes), cancellation: cancellationOf(attributes) }
}

export function lodgingHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const who = (req: Request) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }
  const ids = (req: Request) => ({ moveId: String(req.params.id), id: String(req.params.lodging_id) })

  const start: WriteOperation = write(async (req, w) => {
    const { attributes } = contractResource<'startLodging'>(req, ['starts', 'start'])
    await transitionLodging(
      w,
      { ...ids(req), event: 'start', ...eventTime(attributes), reason: attributes.reason ?? 'overnight_lodging' },
      who(req),
      clock.now(),
    )
    return jsonApiResponse(204)
  })

  const complete: WriteOperation = write(async (req, w) => {
    const { attributes } = contractResource<'completeLodging'>(req, ['completes', 'complete'])
    await transitionLodging(
      w,
      { ...ids(req), event: 'complete', ...eventTime(attributes), reason: null },
      who(req),
      clock.now(),
    )
    return jsonApiResponse(204)
  })

  return {
    listLodgings: async (req, res) => {
      const include = parseInclude(req.query.include, INCLUDES)
      const rows = await listLodgings(db, String(req.params.id), who(req))
      res.json(await serialize(db, 'lodgings', rows, serializeContext(req), { include }))
    },

    getLodging: async (req, res) => {
      const { moveId, id } = ids(req)
      const include = parseInclude(req.query.include, INCLUDES)
      const row = await findLodging(db, moveId, id, who(req))
      res.json(await serialize(db, 'lodgings', row, serializeContext(req), { include }))
    },

    createLodging: write(async (req, w) => {
      const moveId = String(req.params.id)
      const include = parseInclude(req.query.include, INCLUDES)
      const { attributes, relationships } = contractResource<'createLodging'>(req, 'lodgings')
      const input = {
        startDate: attributes.start_date,
        endDate: attributes.end_date,
        locationId: relationships.location.data.id,
      }
      const ctx = serializeContext(req)
      const lodging = await createLodging(w, moveId, input, who(req), clock.now())
      return jsonApiResponse(201, await serialize(w.tx, 'lodgings', lodging, ctx, { include }), {
        Location: `${ctx.baseUrl}/api/moves/${moveId}/lodgings/${lodging.id}`,
      })
    }),

    updateLodging: write(async (req, w) => {
      const { moveId, id } = ids(req)
      const include = parseInclude(req.query.include, INCLUDES)
      const { attributes = {}, relationships = {} } = contractResource<'updateLodging'>(req, 'lodgings', id)
      const input = { endDate: attributes.end_date, locationId: relationships.location?.data.id }
      const ctx = serializeContext(req)
      const lodging = await updateLodging(w, moveId, id, input, who(req), clock.now())
      return jsonApiResponse(200, await serialize(w.tx, 'lodgings', lodging, ctx, { include }))
    }),

    startLodging: start,
    completeLodging: complete,

    cancelLodging: write(async (req, w) => {
      const input = lodgingCancellation(req)
      await transitionLodging(w, { ...ids(req), event: 'cancel', ...input }, who(req), clock.now())
      return jsonApiResponse(204)
    }),

    cancelAllLodgings: write(async (req, w) => {
      const input = lodgingCancellation(req)
      await cancelAllLodgings(w, String(req.params.id), input, who(req), clock.now())
      return jsonApiResponse(204)
    }),
  }
}
