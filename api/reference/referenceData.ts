import { DomainError } from '../../lib/errors'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { parsePage } from '../../lib/jsonapi/pagination'
import { paginationLinks } from '../jsonapi/pagination'
import { csv, filterObject } from '../../lib/jsonapi/query'
import { findLocation, listLocations } from '../../lib/reference/locations'
import { loadReference, loadSuppliers, type ReferenceList } from '../../lib/reference/rows'
import type { Services } from '../../lib/services'
import { createLocation } from '../../lib/reference/createLocation'
import { jsonApiResponse, serializeContext, write, type Handler, type HandlerTable } from '../context'
import { contractResource } from '../jsonapiBody'

const LOCATION_INCLUDES = ['suppliers'] as const

export function referenceDataHandlers(services: Services): HandlerTable {
  const { db } = services

  const list =
    (type: ReferenceList): Handler =>
    async (req, res) => {
      const category = filterObject(req.query).category as string | undefined
      const rows = (await loadReference(db, type)).filter(row => !category || row.category === category)
      res.json(await serialize(db, type, rows, serializeContext(req)))
    }

  return {
    listLocations: async (req, res) => {
      const filter = filterObject(req.query)
      const page = parsePage(req.query)
      const include = parseInclude(req.query.include, LOCATION_INCLUDES)
      const { rows, total } = await listLocations(
        db,
        {
          location_type: csv(filter.location_type),
          nomis_agency_id: csv(filter.nomis_agency_id),
          supplier_id: csv(filter.supplier_id),
        },
        page,
      )
      const ctx = serializeContext(req)
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      res.json(
        await serialize(db, 'locations', rows, ctx, { include, fields: parseFields(req.query.fields), links, meta }),
      )
    },

    createLocation: write(async (req, w) => {
      const { attributes, relationships } = contractResource<'createLocation'>(req, 'locations')
      const location = {
        key: attributes.key,
        title: attributes.title,
        location_type: attributes.location_type,
        nomis_agency_id: attributes.nomis_agency_id,
        can_upload_documents: attributes.can_upload_documents,
        young_offender_institution: attributes.young_offender_institution,
        extradition_capable: attributes.extradition_capable,
        supplierIds: (relationships?.suppliers?.data ?? []).map(s => s.id),
      }
      const ctx = serializeContext(req)
      const created = await createLocation(w.tx, location)
      const self = `${ctx.baseUrl}/api/reference/locations/${created.id}`
      return jsonApiResponse(201, await serialize(w.tx, 'locations', created, ctx, { links: { self } }), {
        Location: self,
      })
    }),

    getLocation: async (req, res) => {
      const id = String(req.params.id)
      const location = await findLocation(db, id)
      if (!location) throw new DomainError('not_found', `Couldn't find Location with 'id'=${id}`)
      res.json(
        await serialize(db, 'locations', location, serializeContext(req), {
          include: parseInclude(req.query.include, LOCATION_INCLUDES),
          fields: parseFields(req.query.fields),
        }),
      )
    },

    listSuppliers: async (req, res) => {
      const ids = (await db('suppliers').select('id').orderBy('name')).map(r => r.id as string)
      res.json(await serialize(db, 'suppliers', await loadSuppliers(db, ids), serializeContext(req)))
    },
    listAssessmentQuestions: list('assessment_questions'),
    listAllocationComplexCases: list('allocation_complex_cases'),
    listEthnicities: list('ethnicities'),
    listGenders: list('genders'),
    listPrisonTransferReasons: list('prison_transfer_reasons'),
  }
}
