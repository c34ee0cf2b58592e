import type { Request } from 'express'
import { DomainError } from '../../lib/errors'
import { parsePage } from '../../lib/jsonapi/pagination'
import { csv, filterObject } from '../../lib/jsonapi/query'
import {
  createPopulation,
  draftPopulation,
  findPopulation,
  populationDays,
  updatePopulation,
} from '../../lib/populations/populations'
import { listLocations } from '../../lib/reference/locations'
import type { Services } from '../../lib/services'
import { jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import type { components } from '../contract'
import { contractResource } from '../jsonapiBody'
import { paginationLinks } from '../jsonapi/pagination'
import { parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'

const POPULATION_INCLUDES = ['location', 'moves_from', 'moves_to'] as const

/** The longest range `GET /api/locations_free_spaces` answers, in days: a month of every prison's days. */
const MAX_DAYS = 31

type Attributes = components['schemas']['PopulationAttributes']

/** The declared counts and capacities by name, so that nothing else sent is stored. */
const changes = (a: Attributes = {}) => ({
  operational_capacity: a.operational_capacity,
  usable_capacity: a.usable_capacity,
  unlock: a.unlock,
  bedwatch: a.bedwatch,
  overnights_in: a.overnights_in,
  overnights_out: a.overnights_out,
  out_of_area_courts: a.out_of_area_courts,
  discharges: a.discharges,
  updated_by: a.updated_by,
})

/** date_from and date_to, checked by the contract as dates; the range must run forwards and be at most MAX_DAYS. */
function dateRange(req: Request): { from: string; to: string } {
  const from = String(req.query.date_from)
  const to = String(req.query.date_to)
  if (to < from) {
    throw new DomainError('invalid_query_parameter', 'date_to must not be before date_from', {
      subject: { parameter: 'date_to' },
    })
  }
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1
  if (days > MAX_DAYS) {
    throw new DomainError('invalid_query_parameter', `date_from to date_to must be at most ${MAX_DAYS} days`, {
      subject: { parameter: 'date_to' },
    })
  }
  return { from, to }
}

/** Populations and free spaces (issue #21), for the PMU's frontend. */
export function populationHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  return {
    listLocationFreeSpaces: async (req, res) => {
      const { from, to } = dateRange(req)
      const filter = filterObject(req.query)
      const page = parsePage(req.query)
      const { rows, total } = await listLocations(
        db,
        {
          location_type: csv(filter.location_type) ?? ['prison'],
          nomis_agency_id: csv(filter.nomis_agency_id),
          supplier_id: csv(filter.supplier_id),
        },
        page,
      )
      const ctx = serializeContext(req)
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      const document = await serialize(db, 'locations', rows, ctx, { links, meta })
      const days = await populationDays(
        db,
        rows.map(row => row.id),
        from,
        to,
      )
      for (const resource of document.data as { id: string; meta?: Record<string, unknown> }[]) {
        resource.meta = { ...resource.meta, populations: days.get(resource.id) ?? [] }
      }
      res.json(document)
    },

    newPopulation: async (req, res) => {
      const draft = await draftPopulation(db, String(req.query.location_id), String(req.query.date))
      res.json(await serialize(db, 'populations', draft, serializeContext(req)))
    },

    getPopulation: async (req, res) => {
      const population = await findPopulation(db, String(req.params.id))
      const include = parseInclude(req.query.include, POPULATION_INCLUDES)
      res.json(await serialize(db, 'populations', population, serializeContext(req), { include }))
    },

    createPopulation: write(async (req, w) => {
      const { attributes, relationships } = contractResource<'createPopulation'>(req, 'populations')
      const include = parseInclude(req.query.include, POPULATION_INCLUDES)
      const population = await createPopulation(
        w,
        {
          ...changes(attributes),
          operational_capacity: attributes.operational_capacity!,
          usable_capacity: attributes.usable_capacity!,
          date: attributes.date,
          location_id: relationships.location.data.id,
        },
        clock.now(),
      )
      const ctx = serializeContext(req)
      return jsonApiResponse(201, await serialize(w.tx, 'populations', population, ctx, { include }), {
        Location: `${ctx.baseUrl}/api/populations/${population.id}`,
      })
    }),

    updatePopulation: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes } = contractResource<'updatePopulation'>(req, 'populations', id)
      const include = parseInclude(req.query.include, POPULATION_INCLUDES)
      const population = await updatePopulation(w, id, changes(attributes), clock.now())
      return jsonApiResponse(200, await serialize(w.tx, 'populations', population, serializeContext(req), { include }))
    }),
  }
}
