import {
  locationIdsByRegion,
  type CategoryRow,
  type IdentifierTypeRow,
  type RegionRow,
} from '../../lib/reference/regionsAndCategories'
import { loadLocations } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

const iso = (value: Date) => value.toISOString()

/** A region and the locations it groups (their linkage looked up for all regions in one query, when included). */
export const regionResource: ResourceDef<RegionRow> = {
  type: 'regions',
  attributes: row => ({
    key: row.key,
    name: row.name,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
  relationships: {
    locations: {
      type: 'locations',
      many: true,
      onlyWhenIncluded: true,
      idsByParent: locationIdsByRegion,
      load: loadLocations,
    },
  },
}

export const categoryResource: ResourceDef<CategoryRow> = {
  type: 'categories',
  attributes: row => ({
    key: row.key,
    title: row.title,
    move_supported: row.move_supported,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
}

export const identifierTypeResource: ResourceDef<IdentifierTypeRow> = {
  type: 'identifier_types',
  attributes: row => ({ key: row.key, title: row.title, description: row.description, disabled_at: row.disabled_at }),
}
