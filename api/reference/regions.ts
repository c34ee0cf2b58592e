import { parseInclude } from '../jsonapi/parameters'
import { paginationLinks } from '../jsonapi/pagination'
import { parsePage } from '../../lib/jsonapi/pagination'
import {
  findRegion,
  identifierTypes,
  listCategories,
  listRegions,
  supplierLocations,
} from '../../lib/reference/regionsAndCategories'
import type { Services } from '../../lib/services'
import { serialize } from '../resources'
import { serializeContext, type HandlerTable } from '../context'

const REGION_INCLUDES = ['locations'] as const

/** Regions, prisoner categories, identifier types and a supplier's locations (issue #21). */
export function regionHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    listRegions: async (req, res) => {
      const include = parseInclude(req.query.include, REGION_INCLUDES)
      res.json(await serialize(db, 'regions', await listRegions(db), serializeContext(req), { include }))
    },

    getRegion: async (req, res) => {
      const include = parseInclude(req.query.include, REGION_INCLUDES)
      const region = await findRegion(db, String(req.params.id))
      res.json(await serialize(db, 'regions', region, serializeContext(req), { include }))
    },

    listCategories: async (req, res) => {
      res.json(await serialize(db, 'categories', await listCategories(db), serializeContext(req)))
    },

    listIdentifierTypes: async (req, res) => {
      res.json(await serialize(db, 'identifier_types', identifierTypes(), serializeContext(req)))
    },

    listSupplierLocations: async (req, res) => {
      const page = parsePage(req.query)
      const { rows, total } = await supplierLocations(db, String(req.params.id), page)
      const ctx = serializeContext(req)
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      res.json(await serialize(db, 'locations', rows, ctx, { links, meta }))
    },
  }
}
