import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { DomainError, relationship } from '../errors'
import type { Page } from '../jsonapi/pagination'
import { locationsQuery, type LocationRow } from './rows'

/**
 * The reference lists issue #21 adds: regions (establishments grouped by agency id), prisoner
 * categories (whether a person of the category may be moved), identifier types, and the locations
 * a supplier's moves start from.
 */

export type RegionRow = { id: string; key: string; name: string; created_at: Date; updated_at: Date }

export type CategoryRow = {
  id: string
  key: string
  title: string
  move_supported: boolean
  created_at: Date
  updated_at: Date
}

/** An identifier a person may have; the id is its key, as the reference answers. */
export type IdentifierTypeRow = {
  id: string
  key: string
  title: string
  description: string | null
  disabled_at: null
}

const IDENTIFIER_TYPES: IdentifierTypeRow[] = [
  { key: 'police_national_computer', title: 'PNC ID', description: 'Police National Computer identifier' },
  { key: 'prison_number', title: 'Prison number', description: 'NOMIS prison number (NOMS id)' },
  { key: 'criminal_records_office', title: 'CRO number', description: 'Criminal Records Office number' },
].map(t => ({ id: t.key, ...t, disabled_at: null }))

/** The identifier types, a fixed list: the identifiers people carry as columns. */
export function identifierTypes(): IdentifierTypeRow[] {
  return IDENTIFIER_TYPES
}

/** Regions by key. */
export async function listRegions(tx: Tx): Promise<RegionRow[]> {
  return tx('regions').select('id', 'key', 'name', 'created_at', 'updated_at').orderBy('key')
}

export async function loadRegions(tx: Tx, ids: string[]): Promise<RegionRow[]> {
  return tx('regions').select('id', 'key', 'name', 'created_at', 'updated_at').whereIn('id', ids)
}

/** One region; 404 for none. */
export async function findRegion(tx: Tx, id: string): Promise<RegionRow> {
  const [row] = await loadRegions(tx, [id])
  if (!row) throw new DomainError('not_found', `Couldn't find Region with 'id'=${id}`)
  return row
}

/** Each region's locations (those whose agency id the region names), by key; one query for all regions. */
export async function locationIdsByRegion(tx: Tx, regionIds: string[]): Promise<Map<string, string[]>> {
  const rows = (await tx('region_agencies as ra')
    .join('locations as l', 'l.nomis_agency_id', 'ra.nomis_agency_id')
    .whereIn('ra.region_id', regionIds)
    .orderBy([{ column: 'l.key' }, { column: 'l.id' }])
    .select('ra.region_id', 'l.id')) as { region_id: string; id: string }[]
  const byRegion = new Map<string, string[]>()
  for (const { region_id, id } of rows) byRegion.set(region_id, [...(byRegion.get(region_id) ?? []), id])
  return byRegion
}

/** Prisoner categories by key. */
export async function listCategories(tx: Tx): Promise<CategoryRow[]> {
  return tx('categories').select('id', 'key', 'title', 'move_supported', 'created_at', 'updated_at').orderBy('key')
}

/**
 * A person whose prisoner record has a category this service does not move (A, E and H: move_supported
 * false) cannot be the person of a move: 422 at the `profile` relationship, as the reference refuses
 * `unsupported_prisoner_category`. The category is read from the prisoner record the person came from;
 * a person with no record, or a record with no category, may be moved.
 */
export async function refuseUnsupportedCategory(tx: Tx, profileId: string): Promise<void> {
  const row = (await tx('profiles as p')
    .join('people as pe', 'pe.id', 'p.person_id')
    .join('offenders as o', 'o.noms_id', 'pe.prison_number')
    .join('categories as c', 'c.key', 'o.security_category_code')
    .where('p.id', profileId)
    .where('c.move_supported', false)
    .first('c.key', 'c.title')) as { key: string; title: string } | undefined
  if (row) {
    throw new DomainError('unprocessable_entity', `A person of ${row.title} cannot be moved by this service`, {
      subject: relationship('profile'),
      meta: { reason: 'unsupported_prisoner_category', category: row.key },
    })
  }
}

/**
 * The distinct locations the supplier's moves start from, by key, a page of them with the total (as
 * the reference answers: not the locations the supplier serves by contract). 404 for no such supplier.
 */
export async function supplierLocations(
  tx: Tx,
  supplierId: string,
  page: Page,
): Promise<{ rows: LocationRow[]; total: number }> {
  if (!(await tx('suppliers').where({ id: supplierId }).first('id'))) {
    throw new DomainError('not_found', `Couldn't find Supplier with 'id'=${supplierId}`)
  }
  const from = (q: Knex.QueryBuilder) =>
    q.whereExists(function (this: Knex.QueryBuilder) {
      this.select(1).from('moves as m').whereRaw('m.from_location_id = l.id').where('m.supplier_id', supplierId)
    })
  const [rows, count] = await Promise.all([
    from(locationsQuery(tx))
      .orderBy([{ column: 'l.key' }, { column: 'l.id' }])
      .limit(page.size)
      .offset((page.number - 1) * page.size) as Promise<LocationRow[]>,
    from(tx('locations as l')).count<{ count: number }[]>('* as count').first(),
  ])
  return { rows, total: Number(count?.count ?? 0) }
}
