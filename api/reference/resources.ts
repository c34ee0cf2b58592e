import type { LocationRow, ReferenceList, ReferenceRow, SupplierRow } from '../../lib/reference/rows'
import { loadSuppliers } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

/** A supplier: the reference shows its name as both `name` and `title`. */
export const supplierResource: ResourceDef<SupplierRow> = {
  type: 'suppliers',
  attributes: row => ({ key: row.key, name: row.name, title: row.name }),
}

export const locationResource: ResourceDef<LocationRow> = {
  type: 'locations',
  attributes: row => ({
    key: row.key,
    title: row.title,
    location_type: row.location_type,
    nomis_agency_id: row.nomis_agency_id,
    can_upload_documents: row.can_upload_documents,
    young_offender_institution: row.young_offender_institution,
    extradition_capable: row.extradition_capable,
    disabled_at: row.disabled_at ? row.disabled_at.toISOString() : null,
  }),
  relationships: {
    suppliers: { type: 'suppliers', many: true, ids: row => row.supplier_ids, load: loadSuppliers },
  },
}

/** A simple list's row shows the columns its list has, and no others. */
function referenceAttributes(row: ReferenceRow) {
  return {
    key: row.key,
    title: row.title,
    ...(row.category !== undefined ? { category: row.category } : {}),
    ...(row.description !== undefined ? { description: row.description } : {}),
    ...(row.nomis_code !== undefined ? { nomis_code: row.nomis_code } : {}),
    ...(row.disabled_at !== undefined ? { disabled_at: row.disabled_at ? row.disabled_at.toISOString() : null } : {}),
  }
}

const listResource = (type: ReferenceList): ResourceDef<ReferenceRow> => ({ type, attributes: referenceAttributes })

/** The simple reference lists, one resource type each, named as its table. */
export const referenceListResources: Record<ReferenceList, ResourceDef<ReferenceRow>> = {
  assessment_questions: listResource('assessment_questions'),
  allocation_complex_cases: listResource('allocation_complex_cases'),
  ethnicities: listResource('ethnicities'),
  genders: listResource('genders'),
  prison_transfer_reasons: listResource('prison_transfer_reasons'),
}
