import type { CourtHearingRow } from '../../lib/moves/courtHearings'
import type { ExtraditionFlightRow } from '../../lib/moves/extraditionFlights'
import type { CourtCaseRow, TimetableRow } from '../../lib/moves/personRecords'
import { loadMoves } from '../../lib/moves/rows'
import { loadLocations } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

/** The resources of issue #21's court and flight records, and of a person's look-ups in the prisoner records. */

const iso = (value: Date | null) => (value ? value.toISOString() : null)

/** A court hearing, of a move or not, with whether it is in the prisoner records. */
export const courtHearingResource: ResourceDef<CourtHearingRow> = {
  type: 'court_hearings',
  attributes: row => ({
    start_time: iso(row.start_time),
    case_start_date: row.case_start_date,
    case_number: row.case_number,
    case_type: row.case_type,
    nomis_case_id: row.nomis_case_id,
    nomis_hearing_id: row.nomis_hearing_id,
    comments: row.comments,
    saved_to_nomis: row.saved_to_nomis,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
  relationships: { move: { type: 'moves', ids: row => row.move_id, load: loadMoves } },
}

/** An extradition move's flight; the reference names the type in the singular. */
export const extraditionFlightResource: ResourceDef<ExtraditionFlightRow> = {
  type: 'extradition_flight',
  attributes: row => ({
    flight_number: row.flight_number,
    flight_time: iso(row.flight_time),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
  relationships: { move: { type: 'moves', ids: row => row.move_id, load: loadMoves } },
}

/** A person's photo; its id is the person's. */
export const personImageResource: ResourceDef<{ id: string; url: string }> = {
  type: 'images',
  attributes: row => ({ url: row.url }),
}

/** A legal case from the prisoner records, linked to its court. */
export const courtCaseResource: ResourceDef<CourtCaseRow> = {
  type: 'court_cases',
  id: row => String(row.id),
  attributes: row => ({
    nomis_case_id: row.id,
    nomis_case_status: row.active ? 'ACTIVE' : 'INACTIVE',
    case_type: row.case_type_desc,
    case_start_date: row.start_date,
    case_number: null,
  }),
  relationships: { location: { type: 'locations', ids: row => row.location_id, load: loadLocations } },
}

/** Something scheduled for a person in the prisoner records, linked to where it happens. */
export const timetableEntryResource: ResourceDef<TimetableRow> = {
  type: 'timetable_entries',
  attributes: row => ({ start_time: iso(row.start_time), nomis_type: row.nomis_type, reason: row.reason }),
  relationships: { location: { type: 'locations', ids: row => row.location_id, load: loadLocations } },
}
