import { loadMoves } from '../../lib/moves/rows'
import type { PopulationRow } from '../../lib/populations/populations'
import { loadLocations } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

const iso = (value: Date | null) => (value ? value.toISOString() : null)

/** A prison's day: capacities, counts, free spaces, and the prison-transfer moves from and to it that day. */
export const populationResource: ResourceDef<PopulationRow> = {
  type: 'populations',
  attributes: row => ({
    date: row.date,
    operational_capacity: row.operational_capacity,
    usable_capacity: row.usable_capacity,
    unlock: row.unlock,
    bedwatch: row.bedwatch,
    overnights_in: row.overnights_in,
    overnights_out: row.overnights_out,
    out_of_area_courts: row.out_of_area_courts,
    discharges: row.discharges,
    free_spaces: row.free_spaces,
    updated_by: row.updated_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
  relationships: {
    location: { type: 'locations', ids: row => row.location_id, load: loadLocations },
    moves_from: { type: 'moves', many: true, ids: row => row.moves_from, load: loadMoves },
    moves_to: { type: 'moves', many: true, ids: row => row.moves_to, load: loadMoves },
  },
}
