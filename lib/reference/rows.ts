import type { Tx } from '../../db/client'
import { prepared, whereAnyValue } from '../../db/prepared'

export type LocationRow = {
  id: string
  key: string
  title: string
  location_type: string
  nomis_agency_id: string | null
  can_upload_documents: boolean
  young_offender_institution: boolean
  extradition_capable: boolean
  disabled_at: Date | null
  supplier_ids: string[]
}

export type SupplierRow = { id: string; key: string; name: string }

/** Locations with their supplier ids, in one query. */
export function locationsQuery(tx: Tx) {
  return tx('locations as l').select(
    'l.id',
    'l.key',
    'l.title',
    'l.location_type',
    'l.nomis_agency_id',
    'l.can_upload_documents',
    'l.young_offender_institution',
    'l.extradition_capable',
    'l.disabled_at',
    tx.raw(
      `coalesce((select json_agg(ls.supplier_id order by ls.supplier_id) from locations_suppliers ls where ls.location_id = l.id), '[]') as supplier_ids`,
    ),
  )
}

/**
 * The locations of these ids, as a prepared statement (the loader of every list's location includes):
 * the ids go as one array, so that the text is the same whatever their number.
 */
export async function loadLocations(tx: Tx, ids: string[]): Promise<LocationRow[]> {
  return whereAnyValue(prepared(locationsQuery(tx), 'fixed'), 'l.id', ids)
}

export async function loadSuppliers(tx: Tx, ids: string[]): Promise<SupplierRow[]> {
  return tx('suppliers').select('id', 'key', 'name').whereIn('id', ids)
}

/** A row of one of the simple reference lists; the columns a list lacks are absent. */
export type ReferenceRow = {
  id: string
  key: string
  title: string
  description?: string | null
  nomis_code?: string | null
  category?: string
  disabled_at?: Date | null
}

/** The simple lists: their table and resource type share a name. */
export const referenceLists = {
  assessment_questions: ['key', 'title', 'category', 'disabled_at'],
  allocation_complex_cases: ['key', 'title'],
  ethnicities: ['key', 'title', 'description', 'nomis_code', 'disabled_at'],
  genders: ['key', 'title', 'description', 'nomis_code', 'disabled_at'],
  prison_transfer_reasons: ['key', 'title', 'disabled_at'],
} as const

export type ReferenceList = keyof typeof referenceLists

export async function loadReference(tx: Tx, list: ReferenceList, ids?: string[]): Promise<ReferenceRow[]> {
  const query = tx(list).select('id', ...referenceLists[list])
  if (ids) query.whereIn('id', ids)
  return query.orderBy('title')
}
