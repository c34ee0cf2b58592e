import type { Request, Response } from 'express'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { parsePage } from '../../lib/jsonapi/pagination'
import { paginationLinks } from '../jsonapi/pagination'
import { csv, dateParameter, filterObject, filterPlace, invalidValue, type FilterOrigin } from '../../lib/jsonapi/query'
import type { Tx } from '../../db/client'
import {
  cancelAllocation,
  type AllocationFilter,
  type Sort as AllocationSort,
  createAllocation,
  findAllocation,
  listAllocations,
  redateAllocation,
} from '../../lib/moves/allocations'
import { visibleMoveIds } from '../../lib/moves/moves'
import type { AllocationRow } from '../../lib/moves/rows'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { contractResource, searchFilter } from '../jsonapiBody'
import { cancellationOf, eventTime } from './eventBody'
import { parseSort } from './sorting'

/**
 * What an allocation may include. The frontend's allocation page asks for its moves with their people
 * (`moves.profile.person...`); a version 1 move links to its person instead of a profile.
 */
const INCLUDES: Record<number, readonly string[]> = {
  2: [
    'from_location',
    'to_location',
    'moves',
    'moves.profile',
    'moves.profile.person',
    'moves.profile.person.ethnicity',
    'moves.profile.person.gender',
  ],
  1: ['from_location', 'to_location', 'moves', 'moves.person', 'moves.person.ethnicity', 'moves.person.gender'],
}

const includes = (req: Request) => parseInclude(req.query.include, INCLUDES[req.apiVersion ?? 1] ?? INCLUDES[2]!)

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

/**
 * The allocations list's filter, from `filter[...]` or a search body; openapi.yaml has checked each
 * value. That `locations` excludes `from_locations` and `to_locations` is checked here: the contract
 * could say it only as a rule on the whole filter, reported at `filter` rather than at `locations`.
 */
function parseAllocationFilter(filter: Record<string, unknown>, origin: FilterOrigin): AllocationFilter {
  const parsed = {
    date_from: dateParameter(filter.date_from),
    date_to: dateParameter(filter.date_to),
    from_locations: csv(filter.from_locations),
    to_locations: csv(filter.to_locations),
    locations: csv(filter.locations),
    status: csv(filter.status),
  }
  if (parsed.locations && (parsed.from_locations || parsed.to_locations)) {
    throw invalidValue(filterPlace(origin, 'locations'), 'cannot be combined with from_locations or to_locations')
  }
  return parsed
}

export function allocationHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  /** GET /api/allocations and POST /api/allocations/filtered: the same list, its filter from the query or the body. */
  const list = async (req: Request, res: Response, filter: Record<string, unknown>, origin: FilterOrigin) => {
    const page = parsePage(req.query)
    const include = includes(req)
    const parsed = parseAllocationFilter(filter, origin)
    const sort = parseSort<AllocationSort['by']>(req, { by: 'date', direction: 'desc' })
    const { rows: all, total } = await listAllocations(db, parsed, sort, page)
    const rows = await withVisibleMoves(db, all, client(req).supplierId)
    const ctx = serializeContext(req)
    const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
    res.json(
      await serialize(db, 'allocations', rows, ctx, { include, fields: parseFields(req.query.fields), links, meta }),
    )
  }

  return {
    createAllocation: write(async (req, w) => {
      const { attributes: a, relationships } = contractResource<'createAllocation'>(req, 'allocations')
      const ctx = serializeContext(req)
      const include = includes(req)
      // Declared members only, by name: what else the client sent is ignored and stored nowhere.
      const allocation = await createAllocation(
        w,
        {
          date: a.date,
          moves_count: a.moves_count,
          estate: a.estate,
          estate_comment: a.estate_comment,
          prisoner_category: a.prisoner_category,
          sentence_length: a.sentence_length,
          sentence_length_comment: a.sentence_length_comment,
          complex_cases: a.complex_cases?.map(c => ({
            allocation_complex_case_id: c.allocation_complex_case_id,
            key: c.key,
            title: c.title,
            answer: c.answer,
          })),
          complete_in_full: a.complete_in_full,
          requested_by: a.requested_by,
          other_criteria: a.other_criteria,
          fromLocationId: relationships.from_location.data.id,
          toLocationId: relationships.to_location.data.id,
        },
        client(req),
        clock.now(),
      )
      const self = `${ctx.baseUrl}/api/allocations/${allocation.id}`
      return jsonApiResponse(201, await serialize(w.tx, 'allocations', allocation, ctx, { include }), {
        Location: self,
      })
    }),

    listAllocations: (req, res) => list(req, res, filterObject(req.query), 'query'),
    filterAllocations: (req, res) => list(req, res, searchFilter(req), 'body'),

    cancelAllocation: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes } = contractResource<'cancelAllocation'>(req, 'cancels')
      const { occurredAt } = eventTime(attributes)
      await cancelAllocation(w, id, { ...cancellationOf(attributes), occurredAt }, client(req), clock.now())
      return jsonApiResponse(204)
    }),

    updateAllocation: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes } = contractResource<'updateAllocation'>(req, 'allocations', id)
      const ctx = serializeContext(req)
      const allocation = await redateAllocation(
        w,
        id,
        { date: attributes.date, reason: attributes.date_changed_reason ?? null },
        client(req),
        clock.now(),
      )
      // A supplier gets here only when it supplies all the moves (x-write-scope), so it may see them all.
      return jsonApiResponse(200, await serialize(w.tx, 'allocations', allocation, ctx, {}))
    }),

    getAllocation: async (req, res) => {
      const [allocation] = await withVisibleMoves(
        db,
        [await findAllocation(db, String(req.params.id))],
        client(req).supplierId,
      )
      res.json(
        await serialize(db, 'allocations', allocation, serializeContext(req), {
          include: includes(req),
          fields: parseFields(req.query.fields),
        }),
      )
    },
  }
}
