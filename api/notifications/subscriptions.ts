import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { parsePage } from '../../lib/jsonapi/pagination'
import { paginationLinks } from '../jsonapi/pagination'
import { csv, filterObject } from '../../lib/jsonapi/query'
import { moveNotifications, resumeSubscription, retryNotification } from '../../lib/notifications/notifications'
import {
  createSubscription,
  findSubscription,
  listSubscriptions,
  updateSubscription,
} from '../../lib/notifications/subscriptions'
import type { Services } from '../../lib/services'
import { jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { contractResource } from '../jsonapiBody'

const INCLUDES = ['supplier'] as const

/** Subscriptions and the operators' view of notifications: all for clients with the admin role (`x-roles`). */
export function notificationHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  return {
    listSubscriptions: async (req, res) => {
      const page = parsePage(req.query)
      const include = parseInclude(req.query.include, INCLUDES)
      const filter = filterObject(req.query)
      const { rows, total } = await listSubscriptions(db, { supplier_id: csv(filter.supplier_id) }, page)
      const ctx = serializeContext(req)
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      res.json(
        await serialize(db, 'subscriptions', rows, ctx, {
          include,
          fields: parseFields(req.query.fields),
          links,
          meta,
        }),
      )
    },

    createSubscription: write(async (req, w) => {
      const { attributes, relationships } = contractResource<'createSubscription'>(req, 'subscriptions')
      const ctx = serializeContext(req)
      const row = await createSubscription(
        w.tx,
        services.secretKey(),
        relationships.supplier.data.id,
        attributes,
        clock.now(),
      )
      const self = `${ctx.baseUrl}/api/subscriptions/${row.id}`
      return jsonApiResponse(201, await serialize(w.tx, 'subscriptions', row, ctx, { links: { self } }), {
        Location: self,
      })
    }),

    getSubscription: async (req, res) => {
      const include = parseInclude(req.query.include, INCLUDES)
      const row = await findSubscription(db, String(req.params.id))
      res.json(
        await serialize(db, 'subscriptions', row, serializeContext(req), {
          include,
          fields: parseFields(req.query.fields),
        }),
      )
    },

    updateSubscription: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes = {} } = contractResource<'updateSubscription'>(req, 'subscriptions', id)
      const ctx = serializeContext(req)
      const { row, resumed } = await updateSubscription(w.tx, services.secretKey(), id, attributes, clock.now())
      if (resumed) await resumeSubscription(w, id)
      return jsonApiResponse(200, await serialize(w.tx, 'subscriptions', row, ctx))
    }),

    listMoveNotifications: async (req, res) => {
      const rows = await moveNotifications(db, String(req.params.id))
      res.json(await serialize(db, 'notifications', rows, serializeContext(req)))
    },

    retryNotification: write(async (req, w) => {
      const id = String(req.params.id)
      const ctx = serializeContext(req)
      const row = await retryNotification(w, id, clock.now())
      return jsonApiResponse(200, await serialize(w.tx, 'notifications', row, ctx))
    }),
  }
}
