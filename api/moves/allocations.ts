import type { Request, Response } from 'express'
import { DomainError, attribute } from '../../lib/errors'
import { parseFields, parseInclude, serialize } from '../../lib/jsonapi/document'
import { paginationLinks, parsePage } from '../../lib/jsonapi/pagination'
import {
  csv,
  csvUuids,
  dateParameter,
  filterObject,
  filterPlace,
  invalidValue,
  isDate,
  type FilterOrigin,
} from '../../lib/jsonapi/query'
import type { Tx } from '../../db/client'
import {
  ALLOCATION_SORTS,
  cancelAllocation,
  type AllocationFilter,
  createAllocation,
  findAllocation,
  listAllocations,
  redateAllocation,
} from '../../lib/moves/allocations'
import { visibleMoveIds } from '../../lib/moves/moves'
import type { AllocationRow } from '../../lib/moves/rows'
import '../../lib/moves/resources'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, writeTransaction, type HandlerTable } from '../context'
import { resourceBody, searchFilter } from '../jsonapiBody'
import { eventBody } from './eventBody'
import { parseSort } from './sorting'

const INCLUDES = ['from_location', 'to_location', 'moves'] as const

const relatedId = (relationships: Record<string, { data: unknown }> | undefined, name: string) =>
  (relationships?.[name]?.data as { id?: unknown } | null | undefined)?.id

/**
 * Any client may read allocations, as in the reference, but a supplier's token must not reach
 * other suppliers' moves through them: their linkage and includes keep only the moves it may see.
 */
async function withVisibleMoves(tx: Tx, rows: AllocationRow[], supplierId: string | null): Promise<AllocationRow[]> {
  if (!supplierId) return rows
  const visible = await visibleMoveIds(
    tx,
    rows.flatMap(r => r.move_ids),
    supplierId,
  )
  return rows.map(r => ({ ...r, move_ids: r.move_ids.filter(id => visible.has(id)) }))
}

function parseAllocationFilter(filter: Record<string, unknown>, origin: FilterOrigin): AllocationFilter {
  const at = (name: string) => filterPlace(origin, name)
  const parsed = {
    date_from: dateParameter(filter.date_from, at('date_from')),
    date_to: dateParameter(filter.date_to, at('date_to')),
    from_locations: csvUuids(filter.from_locations, at('from_locations')),
    to_locations: csvUuids(filter.to_locations, at('to_locations')),
    locations: csvUuids(filter.locations, at('locations')),
    status: csv(filter.status, at('status'), ['unfilled', 'filled', 'cancelled']),
  }
  if (parsed.locations && (parsed.from_locations || parsed.to_locations)) {
    throw invalidValue(at('locations'), 'cannot be combined with from_locations or to_locations')
  }
  return parsed
}

export function allocationHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  /** GET /api/allocations and POST /api/allocations/filtered: the same list, its filter from the query or the body. */
  const list = async (req: Request, res: Response, filter: Record<string, unknown>, origin: FilterOrigin) => {
    const page = parsePage(req.query)
    const include = parseInclude(req.query.include, INCLUDES)
    const parsed = parseAllocationFilter(filter, origin)
    const sort = parseSort(req, ALLOCATION_SORTS, { by: 'date', direction: 'desc' })
    const { rows: all, total } = await listAllocations(db, parsed, sort, page)
    const rows = await withVisibleMoves(db, all, client(req).supplierId)
    const ctx = serializeContext(req)
    const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
    res.json(
      await serialize(db, 'allocations', rows, ctx, { include, fields: parseFields(req.query.fields), links, meta }),
    )
  }

  return {
    createAllocation: async (req, res) => {
      const data = resourceBody(req, 'allocations')
      const ctx = serializeContext(req)
      const include = parseInclude(req.query.include, INCLUDES)
      await writeTransaction(services, req, res, async tx => {
        const allocation = await createAllocation(
          tx,
          {
            attributes: data.attributes ?? {},
            fromLocationId: relatedId(data.relationships, 'from_location'),
            toLocationId: relatedId(data.relationships, 'to_location'),
          },
          client(req),
          clock.now(),
        )
        const self = `${ctx.baseUrl}/api/allocations/${allocation.id}`
        return jsonApiResponse(201, await serialize(tx, 'allocations', allocation, ctx, { include }), {
          Location: self,
        })
      })
    },

    listAllocations: (req, res) => list(req, res, filterObject(req.query), 'query'),
    filterAllocations: (req, res) => list(req, res, searchFilter(req), 'body'),

    cancelAllocation: async (req, res) => {
      const id = String(req.params.id)
      const { cancellation, occurredAt } = eventBody(req, 'cancels', { cancellation: true })
      await writeTransaction(services, req, res, async tx => {
        await cancelAllocation(tx, id, { ...cancellation!, occurredAt }, client(req).id, clock.now())
        return jsonApiResponse(204)
      })
    },

    updateAllocation: async (req, res) => {
      const id = String(req.params.id)
      const a = resourceBody(req, 'allocations', id).attributes ?? {}
      const problems = []
      if (!isDate(a.date)) problems.push({ detail: 'date is required (YYYY-MM-DD)', subject: attribute('date') })
      const reason = a.date_changed_reason
      if (reason !== undefined && reason !== null && typeof reason !== 'string') {
        problems.push({
          detail: 'date_changed_reason must be a string',
          subject: attribute('date_changed_reason'),
        })
      }
      if (problems.length) throw DomainError.many('unprocessable_entity', problems)
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx => {
        const allocation = await redateAllocation(
          tx,
          id,
          { date: a.date as string, reason: typeof reason === 'string' ? reason : null },
          client(req).id,
          clock.now(),
        )
        const [visible] = await withVisibleMoves(tx, [allocation], client(req).supplierId)
        return jsonApiResponse(200, await serialize(tx, 'allocations', visible, ctx, {}))
      })
    },

    getAllocation: async (req, res) => {
      const [allocation] = await withVisibleMoves(
        db,
        [await findAllocation(db, String(req.params.id))],
        client(req).supplierId,
      )
      res.json(
        await serialize(db, 'allocations', allocation, serializeContext(req), {
          include: parseInclude(req.query.include, INCLUDES),
          fields: parseFields(req.query.fields),
        }),
      )
    },
  }
}
