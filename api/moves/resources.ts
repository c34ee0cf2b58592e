import { loadDocuments } from '../../lib/documents/documents'
import { assessmentIdsByProfile, loadAssessments } from '../../lib/assessments/rows'
import type { JourneyRow } from '../../lib/moves/journeys'
import { loadCourtHearings } from '../../lib/moves/courtHearings'
import { loadLodgings, lodgingIdsByMove, type LodgingRow } from '../../lib/moves/lodgings'
import {
  loadAllocations,
  loadEvents,
  loadMoves,
  loadPeople,
  loadProfiles,
  type AllocationRow,
  type EmbeddedProfileRow,
  type EmbeddingMoveRow,
  type EventRow,
  type MoveRow,
  type PersonRow,
  type ProfileRow,
} from '../../lib/moves/rows'
import { loadLocations, loadReference, loadSuppliers } from '../../lib/reference/rows'
import { importantEventIds, timelineEventIds } from '../../lib/events/timeline'
import type { RelationshipDef, ResourceDef } from '../jsonapi/document'

const noRows = () => Promise.resolve([])
const iso = (value: Date | null) => (value ? value.toISOString() : null)

const personAttributes = (row: PersonRow) => ({
  first_names: row.first_names,
  last_name: row.last_name,
  date_of_birth: row.date_of_birth,
  gender_additional_information: row.gender_additional_information,
  prison_number: row.prison_number,
  criminal_records_office: row.criminal_records_office,
  police_national_computer: row.police_national_computer,
})

const personRelationships: Record<string, RelationshipDef<PersonRow>> = {
  ethnicity: {
    type: 'ethnicities',
    ids: row => row.ethnicity_id,
    load: (tx, ids) => loadReference(tx, 'ethnicities', ids),
  },
  gender: { type: 'genders', ids: row => row.gender_id, load: (tx, ids) => loadReference(tx, 'genders', ids) },
  profiles: { type: 'profiles', many: true, ids: row => row.profile_ids, load: loadProfiles },
}

/** A person in version 2: who they are; what was assessed lives on their profiles. */
export const personResourceV2: ResourceDef<PersonRow> = {
  type: 'people',
  attributes: personAttributes,
  relationships: personRelationships,
}

/** A person in version 1 also carries the answers of their latest profile. */
export const personResourceV1: ResourceDef<PersonRow> = {
  ...personResourceV2,
  attributes: row => ({ ...personAttributes(row), assessment_answers: row.latest_assessment_answers ?? [] }),
}

export const profileResource: ResourceDef<ProfileRow> = {
  type: 'profiles',
  attributes: row => ({ assessment_answers: row.assessment_answers }),
  relationships: {
    person: {
      type: 'people',
      ids: row => row.person_id,
      load: loadPeople,
      embedded: row => (row as EmbeddedProfileRow).person,
    },
    documents: { type: 'documents', many: true, ids: row => row.document_ids, load: loadDocuments },
    // The reference's profile also links its NOMIS category. We keep none: the frontend's move lists may
    // include it (linkage null, nothing included), and otherwise it is left out, as in the seed's profiles.
    category: { type: 'categories', ids: () => null, load: noRows, onlyWhenIncluded: true },
    // The profile's assessments (issue #15), looked up only when included: one statement for all profiles.
    person_escort_record: {
      type: 'person_escort_records',
      onlyWhenIncluded: true,
      idsByParent: (tx, ids, supplierId) => assessmentIdsByProfile(tx, ids, 'person_escort_record', supplierId),
      load: loadAssessments,
    },
    youth_risk_assessment: {
      type: 'youth_risk_assessments',
      onlyWhenIncluded: true,
      idsByParent: (tx, ids, supplierId) => assessmentIdsByProfile(tx, ids, 'youth_risk_assessment', supplierId),
      load: loadAssessments,
    },
  },
}

export const allocationResource: ResourceDef<AllocationRow> = {
  type: 'allocations',
  attributes: row => ({
    moves_count: row.moves_count,
    date: row.date,
    estate: row.estate,
    estate_comment: row.estate_comment,
    prisoner_category: row.prisoner_category,
    sentence_length: row.sentence_length,
    sentence_length_comment: row.sentence_length_comment,
    complex_cases: row.complex_cases,
    complete_in_full: row.complete_in_full,
    requested_by: row.requested_by,
    other_criteria: row.other_criteria,
    status: row.status,
    cancellation_reason: row.cancellation_reason,
    cancellation_reason_comment: row.cancellation_reason_comment,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }),
  relationships: {
    from_location: { type: 'locations', ids: row => row.from_location_id, load: loadLocations },
    to_location: { type: 'locations', ids: row => row.to_location_id, load: loadLocations },
    moves: { type: 'moves', many: true, ids: row => row.move_ids, load: loadMoves },
  },
  meta: row => ({
    moves: { total: row.moves_total, filled: row.moves_filled, unfilled: row.moves_total - row.moves_filled },
  }),
}

const moveAttributes = (row: MoveRow) => ({
  additional_information: row.additional_information,
  cancellation_reason: row.cancellation_reason,
  cancellation_reason_comment: row.cancellation_reason_comment,
  created_at: iso(row.created_at),
  date: row.date,
  date_from: row.date_from,
  date_to: row.date_to,
  move_agreed: row.move_agreed,
  move_agreed_by: row.move_agreed_by,
  move_type: row.move_type,
  reference: row.reference,
  rejection_reason: row.rejection_reason,
  status: row.status,
  time_due: iso(row.time_due),
  updated_at: iso(row.updated_at),
  is_lockout: row.is_lockout,
})

/** What every version links a move to; version 1 adds the person, version 2 the profile. */
const moveRelationships: Record<string, RelationshipDef<MoveRow>> = {
  from_location: { type: 'locations', ids: row => row.from_location_id, load: loadLocations },
  to_location: { type: 'locations', ids: row => row.to_location_id, load: loadLocations },
  supplier: { type: 'suppliers', ids: row => row.supplier_id, load: loadSuppliers },
  prison_transfer_reason: {
    type: 'prison_transfer_reasons',
    ids: row => row.prison_transfer_reason_id,
    load: (tx, ids) => loadReference(tx, 'prison_transfer_reasons', ids),
  },
  court_hearings: { type: 'court_hearings', many: true, ids: row => row.court_hearing_ids, load: loadCourtHearings },
  allocation: { type: 'allocations', ids: row => row.allocation_id, load: loadAllocations },
  original_move: { type: 'moves', ids: row => row.original_move_id, load: loadMoves },
  timeline_events: {
    type: 'events',
    many: true,
    onlyWhenIncluded: true,
    idsByParent: timelineEventIds,
    load: loadEvents,
  },
  important_events: {
    type: 'events',
    many: true,
    onlyWhenIncluded: true,
    idsByParent: importantEventIds,
    load: loadEvents,
  },
  lodgings: {
    type: 'lodgings',
    many: true,
    onlyWhenIncluded: true,
    idsByParent: lodgingIdsByMove,
    load: loadLodgings,
  },
}

/** A move in version 2 is linked to a profile: the person as they were for this move. */
export const moveResourceV2: ResourceDef<MoveRow> = {
  type: 'moves',
  attributes: moveAttributes,
  relationships: {
    profile: {
      type: 'profiles',
      ids: row => row.profile_id,
      load: loadProfiles,
      embedded: row => (row as EmbeddingMoveRow).profile,
    },
    ...moveRelationships,
  },
}

/** A move in version 1 is linked to its person (and the person's documents). */
export const moveResourceV1: ResourceDef<MoveRow> = {
  type: 'moves',
  attributes: moveAttributes,
  relationships: {
    person: {
      type: 'people',
      ids: row => row.person_id,
      load: loadPeople,
      embedded: row => (row as EmbeddingMoveRow).person,
    },
    documents: { type: 'documents', many: true, ids: () => [] },
    ...moveRelationships,
  },
}

/**
 * An event (issue #14): what happened, when, to what (`eventable`: a move, journey, person escort
 * record, person or lodging), recorded by whom, with its details and the locations and move it names.
 * `details` holds no relationship: those are relationships here.
 */
export const eventResource: ResourceDef<EventRow> = {
  type: 'events',
  attributes: row => ({
    event_type: row.event_type,
    classification: row.classification,
    occurred_at: iso(row.occurred_at),
    recorded_at: iso(row.recorded_at),
    notes: row.notes,
    created_by: row.created_by,
    details: row.details,
  }),
  relationships: {
    // Only a move eventable can be included; the others are linked.
    eventable: { type: 'moves', typeOf: row => row.eventable_type, ids: row => row.eventable_id, load: loadMoves },
    supplier: { type: 'suppliers', ids: row => row.supplier_id, load: loadSuppliers },
    location: { type: 'locations', ids: row => row.location_id, load: loadLocations },
    from_location: { type: 'locations', ids: row => row.from_location_id, load: loadLocations },
    to_location: { type: 'locations', ids: row => row.to_location_id, load: loadLocations },
    court_location: { type: 'locations', ids: row => row.court_location_id, load: loadLocations },
    previous_move: { type: 'moves', ids: row => row.previous_move_id, load: loadMoves },
  },
}

export const journeyResource: ResourceDef<JourneyRow> = {
  type: 'journeys',
  attributes: row => ({
    state: row.state,
    date: row.date,
    number: row.number,
    billable: row.billable,
    vehicle: row.vehicle,
    timestamp: row.client_timestamp.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }),
  relationships: {
    from_location: { type: 'locations', ids: row => row.from_location_id, load: loadLocations },
    to_location: { type: 'locations', ids: row => row.to_location_id, load: loadLocations },
  },
}

export const lodgingResource: ResourceDef<LodgingRow> = {
  type: 'lodgings',
  attributes: row => ({
    start_date: row.start_date,
    end_date: row.end_date,
    status: row.status,
    cancellation_reason: row.cancellation_reason,
    cancellation_reason_comment: row.cancellation_reason_comment,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }),
  relationships: {
    location: { type: 'locations', ids: row => row.location_id, load: loadLocations },
    move: { type: 'moves', ids: row => row.move_id, load: loadMoves },
  },
}
