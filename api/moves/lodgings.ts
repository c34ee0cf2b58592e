import type { Request } from 'express'
import { DomainError, attribute } from '../../lib/errors'
import { parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import {
  cancelAllLodgings,
  createLodging,
  findLodging,
  listLodgings,
  LODGING_CANCELLATION_REASONS,
  LODGING_START_REASONS,
  parseLodging,
  transitionLodging,
  updateLodging,
  type LodgingInput,
} from '../../lib/moves/lodgings'
import type { Services } from '../../lib/services'
import {
  client,
  jsonApiResponse,
  serializeContext,
  writeTransaction,
  type Handler,
  type HandlerTable,
} from '../context'
import { resourceBody } from '../jsonapiBody'
import { eventBody } from './eventBody'

const INCLUDES = ['location'] as const

/** A lodging cancellation: the lodging's own reasons, not the move's. */
function lodgingCancellation(req: Request) {
  const { cancellation, ...body } = eventBody(req, ['cancels', 'cancel'], {
    cancellation: LODGING_CANCELLATION_REASONS,
  })
  return { ...body, cancellation: cancellation! }
}

export function lodgingHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const who = (req: Request) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }
  const ids = (req: Request) => ({ moveId: String(req.params.id), id: String(req.params.lodging_id) })

  const startOrComplete =
    (event: 'start' | 'complete', type: string): Handler =>
    async (req, res) => {
      const body = eventBody(req, [type, type.slice(0, -1)])
      const reason = (resourceBody(req, [type, type.slice(0, -1)]).attributes ?? {}).reason
      if (event === 'start' && reason !== undefined && reason !== null) {
        if (!LODGING_START_REASONS.includes(reason as (typeof LODGING_START_REASONS)[number])) {
          throw new DomainError('unprocessable_entity', `reason must be one of ${LODGING_START_REASONS.join(', ')}`, {
            subject: attribute('reason'),
          })
        }
      }
      await writeTransaction(services, req, res, async tx => {
        await transitionLodging(
          tx,
          {
            ...ids(req),
            event,
            ...body,
            reason: event === 'start' ? ((reason as string | null | undefined) ?? 'overnight_lodging') : null,
          },
          who(req),
          clock.now(),
        )
        return jsonApiResponse(204)
      })
    }

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

    createLodging: async (req, res) => {
      const moveId = String(req.params.id)
      const include = parseInclude(req.query.include, INCLUDES)
      const data = resourceBody(req, 'lodgings')
      const input = parseLodging(data.attributes ?? {}, data.relationships ?? {}, true) as Required<LodgingInput>
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx => {
        const lodging = await createLodging(tx, moveId, input, who(req), clock.now())
        return jsonApiResponse(201, await serialize(tx, 'lodgings', lodging, ctx, { include }), {
          Location: `${ctx.baseUrl}/api/moves/${moveId}/lodgings/${lodging.id}`,
        })
      })
    },

    updateLodging: async (req, res) => {
      const { moveId, id } = ids(req)
      const include = parseInclude(req.query.include, INCLUDES)
      const data = resourceBody(req, 'lodgings', id)
      const input = parseLodging(data.attributes ?? {}, data.relationships ?? {}, false)
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx => {
        const lodging = await updateLodging(tx, moveId, id, input, who(req), clock.now())
        return jsonApiResponse(200, await serialize(tx, 'lodgings', lodging, ctx, { include }))
      })
    },

    startLodging: startOrComplete('start', 'starts'),
    completeLodging: startOrComplete('complete', 'completes'),

    cancelLodging: async (req, res) => {
      const input = lodgingCancellation(req)
      await writeTransaction(services, req, res, async tx => {
        await transitionLodging(tx, { ...ids(req), event: 'cancel', ...input }, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },

    cancelAllLodgings: async (req, res) => {
      const input = lodgingCancellation(req)
      await writeTransaction(services, req, res, async tx => {
        await cancelAllLodgings(tx, String(req.params.id), input, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },
  }
}
