import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { whereAnyOf } from '../jsonapi/filterMatch'
import type { Page } from '../jsonapi/pagination'
import { locationsQuery, type LocationRow } from './rows'

export type LocationFilter = { location_type?: string[]; nomis_agency_id?: string[]; supplier_id?: string[] }

export async function listLocations(
  tx: Tx,
  filter: LocationFilter,
  page: Page,
): Promise<{ rows: LocationRow[]; total: number }> {
  const where = (query: Knex.QueryBuilder) => {
    if (filter.location_type) whereAnyOf(query, 'l.location_type', filter.location_type)
    if (filter.nomis_agency_id) whereAnyOf(query, 'l.nomis_agency_id', filter.nomis_agency_id)
    const suppliers = filter.supplier_id
    if (suppliers) {
      // An empty filter[supplier_id] asks for the locations no supplier serves.
      const served = function (this: Knex.QueryBuilder) {
        this.select(1).from('locations_suppliers as fs').whereRaw('fs.location_id = l.id')
        if (suppliers.length) this.whereIn('fs.supplier_id', suppliers)
      }
      if (suppliers.length) query.whereExists(served)
      else query.whereNotExists(served)
    }
    return query
  }
  const [rows, count] = await Promise.all([
    where(locationsQuery(tx))
      .orderBy([{ column: 'l.title' }, { column: 'l.id' }])
      .limit(page.size)
      .offset((page.number - 1) * page.size) as Promise<LocationRow[]>,
    where(tx('locations as l')).count<{ count: number }[]>('* as count').first(),
  ])
  return { rows, total: Number(count?.count ?? 0) }
}

export async function findLocation(tx: Tx, id: string): Promise<LocationRow | undefined> {
  return locationsQuery(tx).where('l.id', id).first()
}
